"""Compatibility re-export: the jobs now live in scoring.jobs (one module per job). New code imports from there."""

from scoring.jobs.batch import batch
from scoring.jobs.common import expert_names, load_contract, resolve_period, sha256
from scoring.jobs.prepare import evaluate_evidence, evidence_template, new_panel
from scoring.history import read_history
from scoring.jobs.summarize import assess_panel, print_pdf, summarize
from scoring.jobs.verify import verify

__all__ = ["assess_panel", "batch", "evaluate_evidence", "evidence_template", "expert_names", "load_contract",
           "new_panel", "print_pdf", "read_history", "resolve_period", "sha256", "summarize", "verify"]
