"""The plugin host: discovery, selection, loading, quarantine and the record registry."""
