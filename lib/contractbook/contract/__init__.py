"""The contract: load an ODCS file into a typed, validated model."""

from . import naming
from .errors import ContractError, Problem
from .load import load, parse
from .model import Column, Contract, Relationship, Rule, SqlRule, Table
from .types import TYPE_KINDS, ColumnType

__all__ = [
    "TYPE_KINDS",
    "Column",
    "ColumnType",
    "Contract",
    "ContractError",
    "Problem",
    "Relationship",
    "Rule",
    "SqlRule",
    "Table",
    "load",
    "naming",
    "parse",
]
