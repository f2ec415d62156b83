"""The benchmark harness of `make bench`, kept out of the installed `contractbook` package.

Map: `registry` (the STEPS: name -> function, description, what it is compared against) ->
`harness` (one subprocess runner, peak memory, repeats) -> `steps`, `engines`, `peer` (the
measured functions, each returning a `records.StepRun`) -> `sizes` (every step at one size) ->
`build` (make build and a no-op build), `profile` -> `run` -> `report`, `plot`.
"""
