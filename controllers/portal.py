from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools import FORBIDDEN_CHARACTERS_RE, format_form_quantity
from .portal_format import PortalFormatter

# The messages of the pages a customer lands on right after a request was saved.
JUST_WRITTEN_MESSAGES = ("sent", "already_sent", "withdrawn")


def read_only_unless_just_written(_controller):
    """The ``readonly`` of a page that only reads: a read replica may serve it
    (Odoo's db_replica_*), except right after the customer's own submission, which the
    replica may not have received yet."""
    return request.httprequest.args.get("message") not in JUST_WRITTEN_MESSAGES


class ReorderPortal(CustomerPortal):
    """The customer's reorder requests on the portal. Parse, check, call one model
    method, render: the business rules live in sale.reorder.request."""

    # ------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------

    def _reorder_enabled(self):
        return request.env.company.reorder_request_enabled

    def _reorder_partner(self):
        return request.env.user.partner_id

    def _reorder_domain(self, partner):
        return [
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("company_id", "=", request.env.company.id),
        ]

    def _get_reorderable(self, partner, product_ids=None):
        return partner.sudo()._get_reorderable_products(
            request.env.company, product_ids
        )

    def _has_reorderable(self, partner, product=None):
        return partner.sudo()._has_reorderable_products(request.env.company, product)

    def _check_reorder_available(self):
        """404 for everyone while the feature is off, and for the public user."""
        if not self._reorder_enabled() or request.env.user._is_public():
            raise request.not_found()

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        partner = self._reorder_partner()
        Request = request.env["sale.reorder.request"]
        # Employees without Sales rights visit /my too: no count for them.
        enabled = self._reorder_enabled() and Request.has_access("read")
        if "reorder_request_count" in counters:
            values["reorder_request_count"] = (
                Request.search_count(self._reorder_domain(partner)) if enabled else 0
            )
        if not counters:  # the /my page itself: show the entry or not
            values["reorder_portal_visible"] = enabled and bool(
                Request.search_count(self._reorder_domain(partner), limit=1)
                or self._has_reorderable(partner)
            )
            values["reorder_due_count"] = values[
                "reorder_portal_visible"
            ] and partner.sudo()._get_reorder_due_count(request.env.company)
        return values

    # ------------------------------------------------------------------------------
    # The list of requests
    # ------------------------------------------------------------------------------

    def _get_reorder_searchbar_sortings(self):
        env = request.env
        return {
            "date": {
                "label": env._("Newest"),
                "order": "submission_date desc, id desc",
            },
            "name": {"label": env._("Reference"), "order": "name desc"},
        }

    def _get_reorder_searchbar_filters(self):
        env = request.env
        filters = {"all": {"label": env._("All"), "domain": []}}
        for state, label in (
            ("pending", env._("Pending")),
            ("accepted", env._("Accepted")),
            ("declined", env._("Declined")),
            ("withdrawn", env._("Withdrawn")),
        ):
            filters[state] = {"label": label, "domain": [("state", "=", state)]}
        return filters

    def _get_reorder_searchbar_inputs(self):
        env = request.env
        return {
            "all": {"input": "all", "label": env._("Search in All")},
            "name": {"input": "name", "label": env._("Search in Reference")},
            "product": {"input": "product", "label": env._("Search in Products")},
        }

    @staticmethod
    def _clean_search(search):
        """A search text as typed, without the control characters no one types (a
        NUL byte cannot even reach PostgreSQL), at most 100 characters."""
        if not isinstance(search, str):
            return ""
        return FORBIDDEN_CHARACTERS_RE.sub("", search).strip()[:100]

    def _reorder_search_domain(self, search_in, search):
        if not search:
            return []
        by_name = [("name", "ilike", search)]
        # Portal users may not read products: match them as superuser, by id.
        products = (
            request.env["product.product"].sudo()._search([("name", "ilike", search)])
        )
        by_product = [("line_ids.product_id", "in", products)]
        if search_in == "name":
            return by_name
        if search_in == "product":
            return by_product
        return ["|", *by_name, *by_product]

    @http.route(
        ["/my/reorders", "/my/reorders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=read_only_unless_just_written,
    )
    def portal_my_reorders(
        self, page=1, sortby="date", filterby="all", search_in="all", search="", **kw
    ):
        self._check_reorder_available()
        values = self._prepare_my_reorders_values(
            page, sortby, filterby, search_in, search
        )
        request.session["my_reorders_history"] = values["reorder_requests"].ids[:100]
        return request.render("sale_reorder.portal_my_reorders", values)

    def _prepare_my_reorders_values(self, page, sortby, filterby, search_in, search):
        """The values of /my/reorders (an extending module adds its own)."""
        partner = self._reorder_partner()
        Request = request.env["sale.reorder.request"]
        sortings = self._get_reorder_searchbar_sortings()
        filters = self._get_reorder_searchbar_filters()
        inputs = self._get_reorder_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        search = self._clean_search(search)
        domain = (
            self._reorder_domain(partner)
            + filters[filterby]["domain"]
            + self._reorder_search_domain(search_in, search)
        )
        pager = portal_pager(
            url="/my/reorders",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
            },
            total=Request.search_count(domain),
            page=self._parse_page(page),
            step=self._items_per_page,
        )
        return {
            **self._prepare_portal_layout_values(),
            "reorder_requests": Request.search(
                domain,
                order=sortings[sortby]["order"],
                limit=self._items_per_page,
                offset=pager["offset"],
            ),
            "page_name": "reorder",
            "pager": pager,
            "default_url": "/my/reorders",
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "searchbar_filters": filters,
            "filterby": filterby,
            "searchbar_inputs": inputs,
            "search_in": search_in,
            "search": search,
            "can_reorder": self._has_reorderable(partner),
            "portal_format": PortalFormatter(request.env),
        }

    # ------------------------------------------------------------------------------
    # Parsing what the portal receives
    # ------------------------------------------------------------------------------

    @staticmethod
    def _to_int(value):
        """A positive integer from a posted or URL value, or None."""
        value = str(value).strip()
        if not (value.isascii() and value.isdecimal() and len(value) <= 12):
            return None
        return int(value) or None

    def _parse_page(self, page):
        """A page number from the URL; anything else is page 1."""
        return self._to_int(page) or 1

    def _parse_ids(self, values):
        """Integers from posted values (a list, or one comma-separated string);
        anything else is dropped (and re-checked by the model anyway)."""
        if isinstance(values, str):
            values = values.split(",")
        ids = (self._to_int(value) for value in values or [])
        return [record_id for record_id in ids if record_id]

    # ------------------------------------------------------------------------------
    # One request
    # ------------------------------------------------------------------------------

    def _reorder_check_access(self, request_id, access_token):
        """The request, if the user (or the token) may see it; 404 otherwise, never
        a 403 that would tell it exists."""
        self._check_reorder_available_for_token(access_token)
        try:
            return self._document_check_access(
                "sale.reorder.request", request_id, access_token=access_token
            )
        except (AccessError, MissingError):
            raise request.not_found() from None

    def _check_reorder_available_for_token(self, access_token):
        if not self._reorder_enabled():
            raise request.not_found()
        if request.env.user._is_public() and not access_token:
            raise request.not_found()

    @http.route(
        "/my/reorders/<int:request_id>",
        type="http",
        auth="public",
        website=True,
        readonly=read_only_unless_just_written,
    )
    def portal_reorder_page(self, request_id, access_token=None, message=None, **kw):
        reorder_sudo = self._reorder_check_access(request_id, access_token)
        values = self._prepare_reorder_page_values(reorder_sudo, access_token, message)
        return request.render("sale_reorder.portal_reorder_page", values)

    def _prepare_reorder_page_values(self, reorder_sudo, access_token, message):
        """The values of a request's page (an extending module adds its own)."""
        user = request.env.user
        return self._get_page_view_values(
            reorder_sudo,
            access_token,
            {
                "reorder_request": reorder_sudo,
                "page_name": "reorder",
                "message": message,
                "documents": reorder_sudo._get_customer_documents(),
                "is_requester": reorder_sudo.partner_id == user.partner_id,
                "can_withdraw": reorder_sudo._can_withdraw(user),
                "portal_format": PortalFormatter(request.env),
            },
            "my_reorders_history",
            False,
        )

    @http.route(
        "/my/reorders/<int:request_id>/withdraw",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_reorder_withdraw(self, request_id, access_token=None, **kw):
        reorder_sudo = self._reorder_check_access(request_id, access_token)
        try:
            reorder_sudo._withdraw_by_customer(request.env.user)
        except UserError as error:
            request.env.cr.rollback()
            # Refused: not the sender (a colleague, a token holder) or not pending.
            not_yours = (
                isinstance(error, AccessError) and reorder_sudo.state == "pending"
            )
            message = "not_yours" if not_yours else "not_pending"
            return request.redirect(
                reorder_sudo.get_portal_url(query_string=f"&message={message}")
            )
        return request.redirect(
            reorder_sudo.get_portal_url(query_string="&message=withdrawn")
        )

    # ------------------------------------------------------------------------------
    # Quick reorder from an invoice, a sales receipt or a confirmed order
    # ------------------------------------------------------------------------------

    @http.route(
        "/my/invoices/<int:invoice_id>/reorder",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_reorder_from_invoice(self, invoice_id, access_token=None, **kw):
        """Step 2 with the reorderable items of the customer's posted invoice or
        paid sales receipt."""
        return self._redirect_to_reorder_from("account.move", invoice_id, access_token)

    @http.route(
        "/my/orders/<int:order_id>/reorder",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_reorder_from_order(self, order_id, access_token=None, **kw):
        """Step 2 with the reorderable items of the customer's confirmed order."""
        return self._redirect_to_reorder_from("sale.order", order_id, access_token)

    @http.route(
        "/my/reorders/from/<string:model>/<int:document_id>",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_reorder_from_document(self, model, document_id, access_token=None, **kw):
        """The first quick-reorder URL, kept for links customers bookmarked."""
        if model not in ("account.move", "sale.order"):
            raise request.not_found()
        return self._redirect_to_reorder_from(model, document_id, access_token)

    def _redirect_to_reorder_from(self, model, document_id, access_token):
        self._check_reorder_available()
        try:
            document = self._document_check_access(model, document_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        reorderable = self._get_reorderable(self._reorder_partner())
        quantities = {}
        for product, (quantity, uom) in document._get_reorder_quantities().items():
            if product in reorderable:
                # In the unit step 2 shows: the one of the last purchase.
                unit = reorderable[product]["uom"]
                quantities[product] = uom._compute_quantity(quantity, unit, round=False)
        return self._redirect_to_step_2(quantities)

    @http.route(
        "/my/reorders/usual",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_reorder_usual(self, **kw):
        """Request my usual: step 2 with every item due for reorder at its usual
        quantity (the link of the reminder email, through login if need be)."""
        self._check_reorder_available()
        partner = self._reorder_partner()
        due = partner.sudo()._get_reorder_due_items(request.env.company)
        if not due:
            return request.redirect("/my/reorders/new?message=nothing_due")
        return self._redirect_to_step_2(
            {item["product"]: item["usual_quantity"] for item in due}
        )

    @http.route(
        "/my/reorders/image/<int:product_id>",
        type="http",
        auth="user",
        website=True,  # the same company as the page's
        readonly=True,
        sitemap=False,
    )
    def portal_reorder_image(self, product_id, unique=None, related_order=None, **kw):
        """The picture of an item of step 1, on its own URL: the page carries no
        image data, and the browser keeps each picture (for a year, with the
        ``unique`` of the page's link, which changes with the product). Only of a
        product the customer may reorder (the same index probe as /my), or, with
        ``related_order``, that the customer's order offers (its items, their
        add-ons)."""
        self._check_reorder_available()
        partner = self._reorder_partner()
        product = request.env["product.product"].sudo().browse(product_id).exists()
        if not product or not (
            self._has_reorderable(partner, product)
            or self._is_related_item(partner, related_order, product)
        ):
            raise request.not_found()
        stream = request.env["ir.binary"]._get_image_stream_from(product, "image_128")
        return stream.get_response(immutable=bool(unique))

    def _get_related_order(self, partner, value):
        """The order a request for related items is asked from (``related_order`` of
        the URL or form): None without one; 404 for anything but the customer's
        own confirmed order of this company."""
        if value in (None, ""):
            return None
        order_id = self._to_int(value)
        order = (
            request.env["sale.order"].sudo().browse(order_id).exists()
            if order_id
            else None
        )
        if (
            not order
            or order.partner_id.commercial_partner_id != partner.commercial_partner_id
            or order.company_id != request.env.company
            or not order._can_request_related_items()
        ):
            raise request.not_found()
        return order

    def _is_related_item(self, partner, related_order, product):
        """Whether the customer's order of ``related_order`` (its id, from a URL)
        offers ``product`` to a request for related items (404 for another
        customer's order)."""
        if not related_order:
            return False
        order = self._get_related_order(partner, related_order)
        return product in order._get_related_request_items({})

    def _redirect_to_step_2(self, quantities):
        """Step 2 with these items at these quantities, {product: quantity in the
        unit of the last purchase}, which the customer can still change."""
        query = [("step", "2")]
        for product, quantity in quantities.items():
            query.append(("product_ids", product.id))
            query.append(
                (f"quantity_{product.id}", format_form_quantity(request.env, quantity))
            )
        return request.redirect("/my/reorders/new?" + urlencode(query))

    # ------------------------------------------------------------------------------
    # Stopping the reminders of due items (no login: the link of the email)
    # ------------------------------------------------------------------------------

    @http.route(
        "/reorder/reminders/stop/<int:partner_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        # The token proves the link came in the email; a mail client's one-click
        # unsubscribe (RFC 8058) posts without a session.
        csrf=False,
        sitemap=False,
    )
    def portal_reorder_reminders_stop(self, partner_id, token, **kw):
        """GET asks (a mail scanner opening the link stops nothing), POST stops."""
        partner = request.env["res.partner"].sudo().browse(partner_id).exists()
        if not partner or not partner._check_reorder_reminder_token(token):
            return self._reorder_reminder_link_refused()
        stopped = resumed = False
        if request.httprequest.method == "POST":
            resumed = request.httprequest.form.get("resume") == "1"
            partner.reorder_reminder_opt_out = not resumed
            stopped = not resumed
        return request.render(
            "sale_reorder.portal_reorder_reminders_stop",
            {
                "partner": partner,
                "stopped": stopped,
                "resumed": resumed,
                "opted_out": partner.reorder_reminder_opt_out,
                "action_url": request.httprequest.path,
            },
        )

    def _reorder_reminder_link_refused(self):
        """The Not Found page of a link that is not a contact's own, whatever it
        carries. Rendered here rather than raised: on a raised 404 Odoo first looks
        the path up among its attachments, which fails (a 500, logged) on a path
        with a NUL byte."""
        return request.render("http_routing.404", status=404)
