"""The session state of the alert and request pages, typed: it reads back what it wrote, and a
session from an older release or a garbled one reads as nothing rather than failing a page."""

import pytest
from django.test import Client
from django.urls import reverse

from demand.services import CodeFlow, PairWanted, RequestOutcome, RequestsDone, SignupDone
from demand.views.session import DONE_KEY, FLOW_KEY, REQUESTS_DONE_KEY

GARBAGE = [None, "", "x", 7, [], [1, 2], {"digest": 5}, {"a": object.__name__}, True]


def test_code_flow_reads_back_what_it_wrote():
    wanted = PairWanted(kind="bring", variant_id=4, store_id=2, language="en")
    flow = (
        CodeFlow.start(digest="abc", tail="0501234578")
        .with_entry(3, product="/p/")
        .with_request(wanted)
        .waiting_for(9)
    )
    assert CodeFlow.from_session(flow.to_session()) == flow
    assert flow.tail == "78" and flow.entry_ids == (3,) and flow.requests == (wanted,)


def test_code_flow_reads_a_session_written_before_it_was_typed():
    old = {
        "verification_id": 12,
        "entry_ids": [1, 2],
        "requests": [{"kind": "hold", "variant": 5, "store": 6, "language": "he"}],
        "tail": "78",
        "digest": "abc",
        "product": "/sneakers/x/",
    }
    flow = CodeFlow.from_session(old)
    assert flow is not None
    assert flow.verification_id == 12 and flow.entry_ids == (1, 2)
    assert flow.requests == (PairWanted(kind="hold", variant_id=5, store_id=6, language="he"),)


@pytest.mark.parametrize("data", GARBAGE)
def test_session_state_garbled_reads_as_nothing(data):
    assert CodeFlow.from_session(data) is None or CodeFlow.from_session(data).digest
    assert RequestsDone.from_session(data) is None
    assert PairWanted.from_session(data) is None


def test_code_flow_garbled_parts_are_dropped():
    flow = CodeFlow.from_session(
        {
            "digest": "abc",
            "verification_id": "DROP TABLE",
            "entry_ids": ["1", "x", -3, 2.5, True, 4],
            "requests": [{"kind": "steal", "variant": 1, "store": 1}, "x", {"kind": "hold"}],
            "then": "elsewhere",
        }
    )
    assert flow == CodeFlow(digest="abc", entry_ids=(1, 4))


def test_code_flow_keeps_state_only_for_the_same_number():
    flow = CodeFlow.start(digest="abc", tail="78").with_entry(1).waiting_for(5)
    assert flow.for_number("abc") == flow
    other = flow.for_number("def", "12")
    assert other == CodeFlow(digest="def", tail="12")


def test_code_flow_caps_what_one_browser_piles_up():
    flow = CodeFlow.start(digest="abc", tail="78")
    for n in range(1, 30):
        flow = flow.with_entry(n).with_request(PairWanted("hold", n, n))
    assert len(flow.entry_ids) == 20 and len(flow.requests) == 5
    assert flow.entry_ids[-1] == 29


def test_requests_done_reads_the_bare_list_an_older_session_holds():
    done = RequestsDone.from_session(
        [{"kind": "hold", "variant": 1, "store": 2, "hold": 3}, {"error": "x"}]
    )
    assert done is not None and done.digest == ""
    assert done.outcomes[0] == RequestOutcome(kind="hold", variant_id=1, store_id=2, hold_id=3)
    assert done.outcomes[1].error == "x"
    again = RequestsDone(outcomes=done.outcomes, digest="abc")
    assert RequestsDone.from_session(again.to_session()) == again


def test_signup_done_reads_back():
    done = SignupDone(entry_ids=(1, 2), product="/p/")
    assert SignupDone.from_session(done.to_session()) == done
    assert SignupDone.from_session("x") is None


@pytest.mark.django_db
@pytest.mark.parametrize("data", GARBAGE)
def test_pages_with_a_tampered_session_never_fail(data):
    client = Client()
    session = client.session
    for key in (FLOW_KEY, DONE_KEY, REQUESTS_DONE_KEY):
        session[key] = data
    session.save()
    assert client.get(reverse("demand:confirm")).status_code in (200, 400)
    assert client.post(reverse("demand:confirm"), {"code": "123456"}).status_code in (200, 400)
    assert client.post(reverse("demand:confirm"), {"resend": "1"}).status_code in (302, 400)
    assert client.get(reverse("demand:done")).status_code in (200, 302)
    assert client.get(reverse("demand:request_done")).status_code in (200, 302)


def test_code_flow_carries_a_launch_entry_and_its_result_choice():
    wanted = PairWanted(kind="launch", variant_id=3, store_id=4, language="en", result_text=True)
    flow = CodeFlow.start(digest="d", tail="78").with_request(wanted)
    back = CodeFlow.from_session(flow.to_session())
    assert back is not None and back.requests == (wanted,)
    assert back.text_asked == "alert"  # the code's text reads as an alert's
