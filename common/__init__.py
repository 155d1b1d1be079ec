"""Base code every app may import (models, API pieces, errors); imports none of ours."""
