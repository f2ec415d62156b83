"""The Spark engine: the contract's rule plan compiled to Spark SQL (pyspark imported lazily)."""
