"""checker: compliance checker for 法治政府建设年度报告 (rule-of-law government annual reports).

Pipeline: load (bytes -> text) -> model (Document: positions, normalised text, outline)
-> kinds (one module per rule kind) -> engine (findings, score) -> render (one module per format).
"""

__version__ = "0.1.0"
