"""The sample period the demo runs on: five filled expert scoring workbooks (installed as scoring.sample)."""
