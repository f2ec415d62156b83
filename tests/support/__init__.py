"""Test support: throwaway servers and shared helpers for the test suite."""
