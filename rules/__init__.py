"""The bundled rule packs (YAML). Installed as the package ``checker.rulepacks``."""
