"""What a customer reads on a 390 px phone in Hebrew, in a real headless browser: each statement
on the hold's page its own sentence, the phone form taking its own sample number, a request's
code page naming the pair and the channel she chose, one answer per store on a size."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from inventory import services as inventory
from notifications.backends import locmem
from notifications.models import Message
from notifications.texts import manage_path
from notifications.whatsapp_templates import whatsapp_templates_load
from tests.e2e.helpers import PHONE, customer_phone
from tests.factories import ProductFactory, StoreFactory, VariantFactory
from tests.inventory.views.helpers import store_in
from tests.pickup import held_pair, open_every_day

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sms_outbox"),
]


def fits(page) -> bool:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width <= viewport


@pytest.fixture
def pegasus():
    product = ProductFactory(name="Pegasus 41", style_code="FD2722-002")
    size = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    return product, size


def test_pickup_page_says_each_thing_in_its_own_sentence_while_the_text_waits(
    live_server, browser, settings, pegasus
):
    settings.SITE_URL = live_server.url
    store = StoreFactory(code="tlv", name_he="דיזנגוף סנטר", name_en="Dizengoff Center")
    open_every_day(store)
    _entry, hold, message = held_pair(store, pegasus[1])
    # Quiet hours: the text about the hold waits two hours, whatever the clock of the run.
    send_after = timezone.now() + timedelta(hours=2)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.QUEUED, send_after=send_after
    )
    customer = customer_phone(browser, PHONE)
    try:
        customer.goto(f"{live_server.url}{manage_path(message.pk, 'he')}")
        status = customer.locator(".alert__status").inner_text().strip()
        until = timezone.localtime(hold.expires_at).strftime("%-d/%-m %H:%M")
        # Two statements, two sentences: never "…עד 7/12 21:09 שעות שקטות…".
        assert status.startswith(f"שמור לך זוג עד {until}. בלילה איננו שולחים הודעות; "), status
        assert timezone.localtime(send_after).strftime("%H:%M") in status
        assert status.endswith(".")
        assert fits(customer)
    finally:
        customer.context.close()


def test_alert_form_takes_the_sample_number_it_shows(live_server, browser, pegasus):
    haifa = store_in("haifa", phone="04-8123456")
    product, size = pegasus
    customer = customer_phone(browser, PHONE)
    try:
        customer.goto(f"{live_server.url}{product.get_absolute_url()}")
        customer.click(f"#size-{size.pk} summary")
        customer.click(f"#size-{size.pk} a.shop__notify[href*='store={haifa.pk}']")
        customer.wait_for_url("**/alerts/?*")
        sample = customer.locator("#id_phone").get_attribute("placeholder")
        assert sample and re.search(r"\d", sample)
        customer.fill("#id_phone", sample)
        customer.click("form.alerts__form button[type=submit]")
        customer.wait_for_url("**/alerts/confirm/")
        assert "אינו מספר טלפון תקין" not in customer.locator("main").inner_text()
        digits = re.sub(r"\D", "", sample).lstrip("0")
        assert locmem.outbox[-1].to == f"+972{digits}"
        assert fits(customer)
    finally:
        customer.context.close()


@pytest.mark.parametrize(
    ("approved", "heading", "channel"),
    [(True, "בדקו את הוואטסאפ", "whatsapp"), (False, "בדקו את ההודעות בטלפון", "sms")],
)
def test_hold_request_code_page_names_the_pair_and_the_channel_the_code_went_by(
    live_server, browser, settings, pegasus, approved, heading, channel
):
    settings.WHATSAPP_ENABLED = True
    # Without an approved template the code can only go by SMS: the page must say so.
    whatsapp_templates_load(
        content_sids={("verification", "he"): "HX" + "2" * 32}, approved=approved
    )
    haifa = store_in("haifa", phone="04-8123456")
    product, size = pegasus
    inventory.stock_receive(store=haifa, variant=size, quantity=2)
    customer = customer_phone(browser, PHONE)
    try:
        customer.goto(f"{live_server.url}{product.get_absolute_url()}?size={size.size_label}")
        offer = customer.locator(f"a[href*='/pairs/hold/'][href*='store={haifa.pk}']")
        if not offer.is_visible():
            customer.click(f"#size-{size.pk} summary")
        offer.first.click()
        customer.wait_for_url("**/pairs/hold/?*")
        customer.fill("#id_phone", "050-234-5678")
        customer.check("input[name=channel][value=whatsapp]")
        customer.click("form.alerts__form button[type=submit]")
        customer.wait_for_url("**/alerts/confirm/")
        main = customer.locator("main").inner_text()
        assert customer.locator("h1").inner_text().strip() == heading
        assert "ונשמור לך את הזוג" in main and "התראה" not in main
        assert locmem.outbox[-1].channel == channel
        assert fits(customer)
    finally:
        customer.context.close()


def test_size_with_a_pair_to_bring_gives_one_answer_per_store(
    live_server, browser, settings, pegasus
):
    settings.TRANSFER_LEAD_DAYS = 2
    tel_aviv = store_in("tel-aviv", phone="03-5551234")
    warehouse = store_in(
        "rishon-lezion", code="warehouse", name_en="Central warehouse", is_warehouse=True
    )
    product, size = pegasus
    inventory.stock_receive(store=warehouse, variant=size, quantity=3)
    customer = customer_phone(browser, PHONE)
    try:
        customer.goto(f"{live_server.url}{product.get_absolute_url()}?size={size.size_label}")
        row = customer.locator(f"#size-{size.pk} li.shop", has_text=tel_aviv.name_he)
        row.first.wait_for()
        said = row.first.inner_text()
        assert "הביאו לסניף שלי" in said and "יכול להיות ב" in said
        assert "אין תאריך הגעה ידוע" not in said
        assert fits(customer)
    finally:
        customer.context.close()
