"""The law as code: report formats, checks, working days, deadlines and fees.

Pure Python. Nothing in this package may import Django (see tests/test_boundaries.py).
"""
