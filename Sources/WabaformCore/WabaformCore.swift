// Planner, renderers, live-state reader and applier arrive with issues 4 and 5.
