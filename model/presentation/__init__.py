"""How results are shown to people: numbers as planners read them (zh, en) and the one chart style
(matplotlib) that reports and the app's downloads share."""
