"""Report helpers: tables and charts for the notebooks, and the reports/index.html of a DAG run."""
