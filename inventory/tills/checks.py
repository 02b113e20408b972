"""The checks a batch passes before anything is locked: each line's type, codes, store,
reference and quantity, and its size found by SKU or barcode."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC

from django.utils.translation import gettext as _

from catalog.models import Variant
from catalog.selectors import variants_by_codes

from ..models import Store
from .batch import MAX_LINE_QUANTITY, REFERENCE_MAX_LENGTH, LineError, LineType, TillLine


def normalized(line: TillLine) -> TillLine:
    return replace(
        line,
        type=line.type.strip().lower(),
        reference=line.reference.strip(),
        sku=line.sku.strip(),
        barcode=line.barcode.strip(),
        store=line.store.strip(),
    )


def fingerprint(line: TillLine) -> str:
    """A hash of everything a normalised line says: the same line resent has the same one.
    The till's time counts as the instant it names (its offset written as UTC)."""
    when = line.occurred_at
    if when is not None and when.tzinfo is not None:
        when = when.astimezone(UTC)
    said = {
        "type": line.type,
        "reference": line.reference,
        "quantity": line.quantity,
        "sku": line.sku,
        "barcode": line.barcode,
        "store": line.store,
        "occurred_at": when.isoformat() if when is not None else None,
    }
    return hashlib.sha256(json.dumps(said, sort_keys=True).encode()).hexdigest()


def check_lines(lines: Sequence[TillLine], store: Store) -> list[LineError]:
    errors: list[LineError] = []
    seen_references: dict[str, int] = {}
    for index, line in enumerate(lines):
        if line.type not in LineType.REASONS:
            errors.append(
                LineError(
                    index,
                    "type",
                    "invalid_type",
                    _("Unknown type %(type)r: use sale, return, receipt or count.")
                    % {"type": line.type},
                )
            )
        if not (line.sku or line.barcode):
            errors.append(LineError(index, "sku", "missing_sku", _("Give the SKU or the barcode.")))
        if line.store and line.store != store.code:
            errors.append(
                LineError(
                    index,
                    "store",
                    "wrong_store",
                    _("This till belongs to store %(own)s; it cannot post stock for %(other)s.")
                    % {"own": store.code, "other": line.store},
                )
            )
        reference = line.reference
        if not reference:
            errors.append(
                LineError(
                    index,
                    "reference",
                    "missing_reference",
                    _("Every line needs the till's own reference."),
                )
            )
        elif len(reference) > REFERENCE_MAX_LENGTH:
            errors.append(
                LineError(
                    index,
                    "reference",
                    "reference_too_long",
                    _("A reference has at most %(max)d characters.")
                    % {"max": REFERENCE_MAX_LENGTH},
                )
            )
        elif reference in seen_references:
            errors.append(
                LineError(
                    index,
                    "reference",
                    "duplicate_in_batch",
                    _("The same reference as line %(other)d of this batch.")
                    % {"other": seen_references[reference]},
                    {"other_line": seen_references[reference]},
                )
            )
        else:
            seen_references[reference] = index
        errors.extend(_check_quantity(index, line))
    return errors


def _check_quantity(index: int, line: TillLine) -> list[LineError]:
    quantity = line.quantity
    if quantity is None:
        return [LineError(index, "quantity", "missing_quantity", _("The quantity is missing."))]
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        return [
            LineError(
                index, "quantity", "invalid_quantity", _("The quantity must be a whole number.")
            )
        ]
    if quantity > MAX_LINE_QUANTITY:
        return [
            LineError(
                index,
                "quantity",
                "quantity_too_large",
                _("A line moves at most %(max)d pairs.") % {"max": MAX_LINE_QUANTITY},
            )
        ]
    if line.type == LineType.COUNT and quantity < 0:
        return [
            LineError(
                index, "quantity", "negative_quantity", _("A counted quantity cannot be negative.")
            )
        ]
    if line.type != LineType.COUNT and quantity <= 0:
        return [
            LineError(
                index, "quantity", "non_positive_quantity", _("The quantity must be at least 1.")
            )
        ]
    return []


def resolve_variants(lines: Sequence[TillLine]) -> tuple[list[Variant | None], list[LineError]]:
    """Find every line's size in one query, by SKU or by barcode."""
    found = variants_by_codes(code for line in lines for code in (line.sku, line.barcode))
    variants: list[Variant | None] = []
    errors: list[LineError] = []
    for index, line in enumerate(lines):
        variant = None
        if line.sku:
            variant = found.by_sku(line.sku)
            if variant is None:
                errors.append(
                    LineError(
                        index,
                        "sku",
                        "unknown_sku",
                        _("No size has the SKU %(sku)r.") % {"sku": line.sku},
                    )
                )
            elif line.barcode and found.by_barcode(line.barcode) != variant:
                errors.append(
                    LineError(
                        index,
                        "barcode",
                        "barcode_mismatch",
                        _("The barcode %(barcode)r is not the barcode of SKU %(sku)r.")
                        % {"barcode": line.barcode, "sku": line.sku},
                    )
                )
        elif line.barcode:
            variant = found.by_barcode(line.barcode)
            if variant is None:
                errors.append(
                    LineError(
                        index,
                        "barcode",
                        "unknown_barcode",
                        _("No size has the barcode %(barcode)r.") % {"barcode": line.barcode},
                    )
                )
        variants.append(variant)
    return variants, errors
