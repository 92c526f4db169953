"""Templates of the workbooks scorecard writes (installed as scoring.templates); restyle them in Excel."""
