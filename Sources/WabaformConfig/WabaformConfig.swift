// Replaced by the config loader (issue 3).
