"""initData checking, as Telegram documents it for Mini Apps."""

import hashlib
import hmac
import json
import time
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.webapp.init_data import MAX_AGE_SECONDS, InitDataError, for_user, sign, verify

TOKEN = "123456:TEST-token"
OTHER_BOT = "654321:ANOTHER-bots-token"


def test_a_signed_init_data_names_its_user():
    user = verify(for_user(42, TOKEN, first_name="Ana", language_code="ar"), TOKEN)
    assert (user.id, user.first_name, user.language_code) == (42, "Ana", "ar")


def test_the_signature_follows_telegrams_recipe_independently_computed():
    fields = {"auth_date": str(int(time.time())), "user": json.dumps({"id": 7}), "query_id": "q"}
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert verify(urlencode({**fields, "hash": digest}), TOKEN).id == 7


def test_init_data_of_another_bot_is_refused():
    with pytest.raises(InitDataError, match="signature"):
        verify(for_user(42, OTHER_BOT), TOKEN)


@pytest.mark.parametrize("field", ["user", "auth_date", "query_id"])
def test_any_changed_field_breaks_the_signature(field):
    fields = dict(parse_qsl(for_user(42, TOKEN)))
    fields[field] = fields[field].replace("42", "43") + "0"
    with pytest.raises(InitDataError):
        verify(urlencode(fields), TOKEN)


def test_expired_and_future_init_data_are_refused():
    old = for_user(42, TOKEN, auth_date=time.time() - MAX_AGE_SECONDS - 60)
    with pytest.raises(InitDataError, match="expired"):
        verify(old, TOKEN)
    future = for_user(42, TOKEN, auth_date=time.time() + 3600)
    with pytest.raises(InitDataError, match="future"):
        verify(future, TOKEN)


@pytest.mark.parametrize(
    "init_data",
    ["", "hash=abc", "user=%7B%7D&auth_date=1&hash=", "a=1&a=2&hash=x", "%%%"],
)
def test_malformed_init_data_is_refused(init_data):
    with pytest.raises(InitDataError):
        verify(init_data, TOKEN)


def test_duplicate_fields_cannot_smuggle_a_second_user():
    good = for_user(42, TOKEN)
    with pytest.raises(InitDataError, match="duplicate"):
        verify(good + "&user=" + json.dumps({"id": 1}), TOKEN)


def test_a_signed_payload_without_a_user_is_refused():
    with pytest.raises(InitDataError, match="user"):
        verify(sign({"auth_date": str(int(time.time()))}, TOKEN), TOKEN)


def test_the_age_is_judged_on_the_callers_clock():
    signed = for_user(42, TOKEN, auth_date=1_000_000)
    assert verify(signed, TOKEN, now=1_000_000 + MAX_AGE_SECONDS).id == 42
    with pytest.raises(InitDataError, match="expired"):
        verify(signed, TOKEN, now=1_000_000 + MAX_AGE_SECONDS + 1)
