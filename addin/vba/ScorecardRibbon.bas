Attribute VB_Name = "ScorecardRibbon"
Option Explicit
' The ribbon tab of the scorecard add-in (customUI.xml). Each button runs the same Python code as the
' scorecard command (addin/scorecard_addin.py -> scoring.workflow) with the interpreter and PYTHONPATH
' that GetConfig finds: the sheet scorecard.conf of this add-in, then %USERPROFILE%\.scorecard\scorecard.conf
' (written by "scorecard addin install"). The parameters are the named cells of the active workbook.
' ASCII only: the VBA project is stored in code page 1252; the Chinese labels are in customUI.xml.

Sub PreparePeriod(control As IRibbonControl)
    RunPython "import scorecard_addin; scorecard_addin.prepare_period()"
End Sub

Sub HandOutSheets(control As IRibbonControl)
    RunPython "import scorecard_addin; scorecard_addin.hand_out_sheets()"
End Sub

Sub SummarizePanel(control As IRibbonControl)
    RunPython "import scorecard_addin; scorecard_addin.summarize_panel()"
End Sub

Sub OpenLastSummary(control As IRibbonControl)
    RunPython "import scorecard_addin; scorecard_addin.open_last_summary()"
End Sub

Sub ImportFunctions(control As IRibbonControl)
    ImportPythonUDFsToAddin
End Sub
