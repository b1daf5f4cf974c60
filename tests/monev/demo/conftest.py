import pytest


@pytest.fixture(autouse=True)
def _known_demo_password(demo_password):
    """Every test here runs seed_demo."""
