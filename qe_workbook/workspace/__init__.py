"""One year's work in one folder (rubric, key, forms, returned files, runs), for `qe ui`: the same library
functions the CLI calls, arranged so that a clerk's page needs no logic of its own."""
