"""An invoice as a PDF (reportlab): the seller's letterhead, the invoice's numbers and dates, bill-to and
ship-to side by side, the lines as a table whose header repeats on every page of a long order, the totals,
how to pay, and "Invoice N · page x of y" at the foot of each page.

Text is set in a TrueType font embedded in the file, so names such as "Tomás Herrera" print and can be copied
out: DejaVu Sans where the system has it (most of Unicode), else Bitstream Vera, which ships with reportlab
(Latin-1)."""

from __future__ import annotations

import io
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tools.orders.invoice_view import InvoiceView

_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
_VERA = Path(reportlab.__file__).resolve().parent / "fonts"
MARGIN = 0.7 * inch
GRID = colors.HexColor("#c8ced6")
SHADE = colors.HexColor("#eef1f4")
STRIPE = colors.HexColor("#fafbfc")


@cache
def _fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered once per process."""
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            break
    else:
        regular, bold = _VERA / "Vera.ttf", _VERA / "VeraBd.ttf"
    pdfmetrics.registerFont(TTFont("InvoiceSans", str(regular)))
    pdfmetrics.registerFont(TTFont("InvoiceSans-Bold", str(bold)))
    pdfmetrics.registerFontFamily("InvoiceSans", normal="InvoiceSans", bold="InvoiceSans-Bold",
                                  italic="InvoiceSans", boldItalic="InvoiceSans-Bold")
    return "InvoiceSans", "InvoiceSans-Bold"


def money(amount: Decimal, currency: str) -> str:
    text = f"{amount:,.2f}"
    return f"${text}" if currency == "USD" else f"{text} {currency}"


class _Styles:
    def __init__(self) -> None:
        regular, bold = _fonts()
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10,
                                    textColor=colors.HexColor("#57606a"))
        self.label = ParagraphStyle("label", parent=self.body, fontName=bold, fontSize=8, leading=10,
                                    textColor=colors.HexColor("#57606a"))
        self.label_right = ParagraphStyle("label_right", parent=self.label, alignment=TA_RIGHT)
        self.seller = ParagraphStyle("seller", parent=self.body, fontName=bold, fontSize=15, leading=19)
        self.title = ParagraphStyle("title", parent=self.body, fontName=bold, fontSize=20, leading=24,
                                    alignment=TA_RIGHT)
        self.right = ParagraphStyle("right", parent=self.body, alignment=TA_RIGHT)
        self.bold_right = ParagraphStyle("bold_right", parent=self.right, fontName=bold, fontSize=10, leading=13)
        self.bold = bold


def _p(value: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)


def _header(view: InvoiceView, s: _Styles, width: float) -> Table:
    seller = [_p(view.seller.name, s.seller), *(_p(line, s.body) for line in view.seller.address_lines)]
    if view.seller.contact:
        seller.append(_p(view.seller.contact, s.small))
    facts = [("Invoice number", view.number), ("Invoice date", view.issued_on.isoformat()),
             ("Terms", view.payment_terms), ("Due date", view.due_on.isoformat()), ("Order", view.order_number)]
    if view.po_number:
        facts.append(("Your PO", view.po_number))
    numbers = Table([[_p(k, s.label), _p(v, s.right)] for k, v in facts], colWidths=[1.1 * inch, 1.6 * inch])
    numbers.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    title = [_p("PAID INVOICE" if view.paid else "INVOICE", s.title), Spacer(1, 4), numbers]
    table = Table([[seller, title]], colWidths=[width - 2.8 * inch, 2.8 * inch])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _parties(view: InvoiceView, s: _Styles, width: float) -> Table:
    bill = [_p("BILL TO", s.label), _p(view.buyer.name, s.body), *(_p(x, s.body) for x in view.buyer.address_lines)]
    if view.buyer.contact:
        bill.append(_p(f"Ordered by {view.buyer.contact}", s.small))
    ship = [_p("SHIP TO", s.label), *(_p(x, s.body) for x in view.ship_to)]
    table = Table([[bill, ship]], colWidths=[width / 2, width / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (0, 0), 0.5, GRID),
                               ("BOX", (1, 0), (1, 0), 0.5, GRID), ("TOPPADDING", (0, 0), (-1, -1), 6),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def _lines(view: InvoiceView, s: _Styles, width: float) -> Table:
    head = [_p("Part number", s.label), _p("Description", s.label),
            *(_p(h, s.label_right) for h in ("Qty", "Unit price", "Amount"))]
    rows: list[list[Any]] = [head]
    for line in view.lines:
        what = " · ".join(x for x in (line.manufacturer, line.condition.replace("_", " ")) if x)
        rows.append([_p(line.part_number, s.body), [_p(line.description, s.body), _p(what, s.small)],
                     _p(line.quantity, s.right), _p(money(line.unit_price, view.currency), s.right),
                     _p(money(line.line_total, view.currency), s.right)])
    fixed = [1.5 * inch, 0.5 * inch, 1.05 * inch, 1.1 * inch]
    table = Table(rows, colWidths=[fixed[0], width - sum(fixed), *fixed[1:]], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
    ]))
    return table


def _totals(view: InvoiceView, s: _Styles, width: float) -> Table:
    rows = [("Subtotal", view.subtotal), ("Shipping", view.shipping), ("Tax", view.tax)]
    cells = [[_p(k, s.right), _p(money(v, view.currency), s.right)] for k, v in rows]
    cells.append([_p("Total due" if not view.paid else "Total (paid)", s.bold_right),
                  _p(money(view.total, view.currency), s.bold_right)])
    table = Table(cells, colWidths=[width - 1.1 * inch, 1.1 * inch])
    table.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 1, colors.black)]))
    return table


def render_invoice_pdf(view: InvoiceView) -> bytes:
    """The invoice as a PDF document (US Letter), as bytes."""
    s = _Styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"Invoice {view.number}", author=view.seller.name,
                            subject=f"Order {view.order_number}", creator="Partpilot")
    width = doc.width
    story = [_header(view, s, width), Spacer(1, 14), _parties(view, s, width), Spacer(1, 14),
             _lines(view, s, width), Spacer(1, 6), _totals(view, s, width), Spacer(1, 14),
             _p("How to pay", s.label), _p(view.payment_instructions, s.body),
             _p(f"Payment is due by {view.due_on.isoformat()} ({view.payment_terms}).", s.body)]
    doc.build(story, canvasmaker=_numbered_canvas(view.number, s.bold))
    return buffer.getvalue()


def _numbered_canvas(number: str, font: str) -> type[Canvas]:
    """A canvas that writes "Invoice N · page x of y" on every page (the count is known only at the end)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for page in self._pages:
                self.__dict__.update(page)
                self.setFont(font, 8)
                self.setFillColor(colors.HexColor("#57606a"))
                self.drawRightString(LETTER[0] - MARGIN, MARGIN / 2,
                                     f"Invoice {number} · page {self._pageNumber} of {len(self._pages)}")
                super().showPage()
            super().save()

    return NumberedCanvas
