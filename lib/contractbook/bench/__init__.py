"""Benchmarks: each measured step is a function returning a dict; `make bench` composes them."""
