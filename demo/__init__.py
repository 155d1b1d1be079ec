"""The demo record and the synthetic data sets, with their commands (load_demo,
generate_synthetic)."""
