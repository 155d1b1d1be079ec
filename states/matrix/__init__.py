"""The position matrix: rules (pure), build and storage (the engine), read, params."""
