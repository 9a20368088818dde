"""``python -m transcribe_export`` runs the command-line tool."""

from transcribe_export.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    main()
