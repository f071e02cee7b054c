"""Where page records come from: MediaWiki XML dumps (and, later, the live wiki)."""
