# Stores in real cities, a warehouse and one shoe in two sizes (customers' own requests).
from tests.inventory.views.conftest import shop  # noqa: F401
from tests.messaging import _fresh_limits_and_outbox, outbox, twilio_fake  # noqa: F401
