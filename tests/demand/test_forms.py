from demand.forms import PhoneForm


def test_phone_form_accepts_its_own_placeholder(db):
    # A customer who copies the example number is not told it is "not a valid phone number".
    placeholder = PhoneForm().fields["phone"].widget.attrs["placeholder"]
    form = PhoneForm(data={"phone": placeholder})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"].startswith("+97250")
