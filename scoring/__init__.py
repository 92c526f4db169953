"""scorecard: the performance scorecard of the Hebi data-backup cloud service contract.

The package is a pure-Python core (rubric, contract, panel, grading, settlement)
with the Excel I/O kept at the edge in ``scoring.excel`` and the command line in
``scoring.cli``.
"""

__version__ = "0.1.0"
