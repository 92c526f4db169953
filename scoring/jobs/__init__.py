"""The secretary's jobs, shared by the command line and the Excel buttons, one module per job.

- ``common``: contract loading, periods, expert names, hashes, writing outputs
- ``prepare``: evidence template and the experts' scoring workbooks (new-panel)
- ``summarize``: read, check and assess a panel; write the summary workbook and its PDF
- ``verify``: recompute a summary from its inputs
- ``batch``: many panels in one process
- ``annual``: the service year's settlement from its half-year summaries (年度结算)
- ``correct``: a correction (复核) under 87号令 Art. 64, written to a new summary

Each job checks everything first and raises InputError listing every problem; only then does it
write, atomically. Heavy modules are imported inside the jobs.
"""
