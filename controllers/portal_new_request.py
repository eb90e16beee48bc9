import uuid

from werkzeug.datastructures import MultiDict

from odoo import http
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.sale_reorder_request.submission import (
    SUBMISSION_TOKEN_RE,
    ReorderAlreadySentError,
    ReorderInputError,
)
from ..models.sale_reorder_rhythm import DUE_STATUSES, due_first_key
from ..tools import format_form_quantity
from ..tools.item_file import (
    MAX_FILE_SIZE,
    XLSX_MIMETYPE,
    ItemFileError,
    read_item_file,
)
from .portal import ReorderPortal
from .portal_format import PortalFormatter

ITEMS_PER_PAGE = 20
# Quick add's suggestions as the customer types.
SUGGESTIONS = 10
# More lines than any request has: an estimate of more is refused, not computed.
MAX_ESTIMATE_LINES = 1000


class ReorderNewRequestPortal(ReorderPortal):
    """/my/reorders/new, step 1 (choose items) and step 2 (quantities and comment),
    and the submission: forms that work without JavaScript and keep what the customer
    typed through every step and error."""

    def _get_offered(self, partner, related_order, product_ids=None):
        """What the customer may ask for: their reorderable history and, for a
        request related to one of their orders, that order's products and their
        optional products first (among ``product_ids`` when given)."""
        reorderable = self._get_reorderable(partner, product_ids)
        if not related_order:
            return reorderable
        related = related_order._get_related_request_items(reorderable)
        if product_ids is not None:
            related = {
                product: item
                for product, item in related.items()
                if product.id in product_ids
            }
        return {**related, **reorderable}

    def _new_request_values(self, reorderable, args=None, related_order=None):
        """The values of both steps; ``args`` (the posted form, or the URL) carries
        what the customer typed so far (quantities, comment, a related request's
        reason) from step to step."""
        args = args or {}
        return {
            "related_order": related_order,
            "related_reason": str(args.get("related_reason") or "")[:32],
            "related_reasons": request.env["sale.reorder.request"]
            ._fields["related_reason"]
            ._description_selection(request.env),
            **self._prepare_portal_layout_values(),
            "page_name": "reorder_new",
            "reorderable": reorderable,
            "has_history": bool(reorderable),
            "typed_quantities": {
                product.id: args.get(f"quantity_{product.id}")
                for product in reorderable
                if args.get(f"quantity_{product.id}") is not None
            },
            "comment": args.get("comment", ""),
            # Step 1's sorting and filter, kept through step 2 ("Add more items").
            "sortby": str(args.get("sortby") or "")[:32],
            "filterby": str(args.get("filterby") or "")[:32],
            "submission_token": self._form_submission_token(),
            # The list the request comes from, kept through every step.
            "reorder_list": self._get_reorder_list(args.get("reorder_list")),
            "portal_format": PortalFormatter(request.env),
        }

    @staticmethod
    def _shown(products):
        """``products`` (a list of the history's records) read together and on their
        own: what a page shows (names, images) is fetched for those products only,
        not for every product of the customer's history, which the records came
        from."""
        if not products:
            return []
        return list(products[0].browse([product.id for product in products]))

    @classmethod
    def _select(cls, reorderable, product_ids):
        """The products of ``product_ids`` that the history holds, in that order,
        read on their own."""
        by_id = {product.id: product for product in reorderable}
        return cls._shown([by_id[i] for i in dict.fromkeys(product_ids) if i in by_id])

    def _get_reorder_new_sortings(self):
        env = request.env
        return {
            "due": {"label": env._("Due first"), "key": due_first_key},
            "recent": {"label": env._("Recently ordered"), "key": None},
            "name": {
                "label": env._("Name"),
                # By the name the customer reads first, not the [reference] before it.
                "key": lambda item: (item["product"].name or "").lower(),
            },
        }

    def _get_reorder_new_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "keep": None},
            "due": {
                "label": env._("Due now"),
                "keep": lambda item: item["due_status"] in DUE_STATUSES,
            },
        }

    def _sort_and_filter(self, reorderable, sortby, filterby):
        """Step 1's items as the customer sorts and filters them. "Due first" is the
        default when anything is due, "Recently ordered" otherwise."""
        items = list(reorderable.values())
        has_due = any(item["due_status"] in DUE_STATUSES for item in items)
        sortings = self._get_reorder_new_sortings()
        filters = self._get_reorder_new_filters()
        if not has_due:
            sortings.pop("due")
            filters.pop("due")
        sortby = sortby if sortby in sortings else next(iter(sortings))
        filterby = filterby if filterby in filters else "all"
        if keep := filters[filterby]["keep"]:
            # The items of a related request's order are kept whatever the filter.
            items = [item for item in items if item.get("related") or keep(item)]
        if key := sortings[sortby]["key"]:
            items.sort(key=key)
        # ... and come first, whatever the sorting (a stable sort keeps its order).
        items.sort(key=lambda item: not item.get("related"))
        return {
            "items": [item["product"] for item in items],
            "sortings": sortings,
            "sortby": sortby,
            "filters": filters,
            "filterby": filterby,
            "has_due": has_due,
        }

    def _form_submission_token(self):
        """The token of the posted form (only from a POST, never from a URL), or a
        new one."""
        if request.httprequest.method == "POST":
            token = request.httprequest.form.get("submission_token", "")
            if SUBMISSION_TOKEN_RE.fullmatch(token):
                return token
        return uuid.uuid4().hex

    @http.route(
        "/my/reorders/new",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
        # Only renders the form again (remove an item, add more): it saves nothing, so
        # an expired session must not lose the customer's input on an error page, and
        # a read replica may serve it.
        csrf=False,
        readonly=True,
    )
    def portal_reorder_new(
        self, step="1", search="", page=1, sortby=None, filterby=None, **kw
    ):
        self._check_reorder_available()
        partner = self._reorder_partner()
        form = (
            request.httprequest.form if request.httprequest.method == "POST" else None
        )
        args = form or request.httprequest.args
        selected_ids = self._parse_ids(args.getlist("product_ids"))
        if args.get("remove"):
            selected_ids = [i for i in selected_ids if str(i) != args.get("remove")]
        related_order = self._get_related_order(partner, args.get("related_order"))
        quick = None
        if form and form.get("quick"):
            # Quick add: the lines typed or pasted join the selection, at their
            # quantities; those naming nothing are given back as typed.
            quick = self._quick_add(
                partner,
                related_order,
                form.get("quick_add"),
                self._to_int(form.get("quick_product") or ""),
            )
            args = self._with_quantities(args, quick["quantities"])
            selected_ids += [p.id for p in quick["quantities"]]
        if step == "2" and selected_ids:
            # Step 2 reads the history of the chosen items only.
            chosen = self._get_offered(partner, related_order, selected_ids)
            if selected := self._select(chosen, selected_ids):
                values = self._new_request_values(chosen, args, related_order)
                return self._render_step_2(values, selected, args)
        return self._render_step_1(
            partner,
            related_order,
            args,
            selected_ids,
            search=search,
            page=page,
            sortby=args.get("sortby", sortby),
            filterby=args.get("filterby", filterby),
            error=step == "2",
            quick=quick,
        )

    def _render_step_1(
        self,
        partner,
        related_order,
        args,
        selected_ids,
        search="",
        page=1,
        sortby=None,
        filterby=None,
        error=False,
        quick=None,
        left_out=None,
        upload_error=None,
    ):
        """Step 1: the previously ordered items, sorted, filtered, searchable, paged,
        with what the customer chose so far (``selected_ids``) and typed
        (``args``); ``error`` when asked for step 2 with nothing chosen; ``quick``
        the outcome of a quick add (_quick_add), ``upload_error`` why a file was
        refused."""
        reorderable = self._get_offered(partner, related_order)
        values = self._new_request_values(reorderable, args, related_order)
        selected = self._select(reorderable, selected_ids)
        # A sorting or filter button comes before the hidden current one.
        shown = self._sort_and_filter(reorderable, sortby, filterby)
        items = shown["items"]
        search = self._clean_search(search)
        if search:
            needle = search.lower()
            items = [
                p
                for p in items
                if needle in (p.display_name or "").lower()
                or needle in (p.default_code or "").lower()
            ]
        page = self._parse_page(page)
        pager = portal_pager(
            url="/my/reorders/new",
            url_args={
                "search": search,
                "sortby": shown["sortby"],
                "filterby": shown["filterby"],
            },
            total=len(items),
            page=page,
            step=ITEMS_PER_PAGE,
        )
        quick = quick or {}
        values.update(
            {
                **shown,
                "items": self._shown(
                    items[pager["offset"] : pager["offset"] + ITEMS_PER_PAGE]
                ),
                # "Nothing is due: here is everything" needs something to show.
                "nothing_due": args.get("message") == "nothing_due"
                and bool(reorderable),
                "pager": pager,
                "search": search,
                "selected_ids": [p.id for p in selected],
                "selected_count": len(selected),
                "error": error and not selected,
                "quick_added": self._shown(list(quick.get("quantities") or [])),
                "left_out": quick.get("rejected") or left_out or [],
                # The lines naming nothing, as typed, to be corrected.
                "quick_add": "\n".join(
                    line["text"] for line in quick.get("rejected") or []
                ),
                "quick_error": quick.get("error") or "",
                "upload_error": upload_error or "",
                # The rows of a file, or the lines typed in Quick add.
                "left_out_rows": bool(left_out),
            }
        )
        return request.render("sale_reorder.portal_reorder_new_items", values)

    def _get_reorder_list(self, value, not_found=False):
        """The list of ``value`` (its id, from a URL or a form) if it is one of
        the customer company's lists in this company; else None, or 404 with
        ``not_found``."""
        list_id = self._to_int(value) if value not in (None, "") else None
        reorder_list = (
            request.env["sale.reorder.list"].browse(list_id).exists()
            if list_id
            else None
        )
        if (
            reorder_list
            and reorder_list.has_access("read")
            and reorder_list.sudo().partner_id
            == self._reorder_partner().commercial_partner_id
            and reorder_list.sudo().company_id == request.env.company
        ):
            return reorder_list
        if not_found:
            raise request.not_found()
        return None

    def _quick_add(self, partner, related_order, text, product_id=None):
        """The items of the typed or pasted lines (``text``), or the suggestion
        chosen (``product_id``): {"quantities": {product: quantity}, "rejected":
        [{"ref", "text", "reason"}], "error": a message for the whole text, or
        ""}."""
        Request = request.env["sale.reorder.request"].sudo()
        if product_id:
            offered = self._get_offered(partner, related_order, [product_id])
            if not offered:
                return {
                    "quantities": {},
                    "rejected": [],
                    "error": Request._not_reorderable_message(),
                }
            product, item = next(iter(offered.items()))
            _message, quantity = Request._get_entry_quantity({}, item)
            return {"quantities": {product: quantity}, "rejected": [], "error": ""}
        try:
            entries = Request._parse_quick_lines(text)
        except ItemFileError as error:
            return {
                "quantities": {},
                "rejected": [],
                "error": Request._get_item_file_error_message(error),
            }
        if not entries:
            return {
                "quantities": {},
                "rejected": [],
                "error": request.env._(
                    "Type a code, a barcode or a name to add an item."
                ),
            }
        quantities, rejected = self._match_entries(partner, related_order, entries)
        return {"quantities": quantities, "rejected": rejected, "error": ""}

    def _match_entries(self, partner, related_order, entries):
        """sale.reorder.request's _match_reorder_entries among what the customer
        may ask for here (a related request's order too)."""
        return (
            request.env["sale.reorder.request"]
            .sudo()
            ._match_reorder_entries(
                partner,
                request.env.company,
                entries,
                offered=lambda product_ids: self._get_offered(
                    partner, related_order, product_ids
                ),
            )
        )

    @staticmethod
    def _with_quantities(args, quantities):
        """``args`` (the posted form) with these quantities ({product: quantity in
        the unit of the last purchase}) as if typed."""
        args = MultiDict(args)
        for product, quantity in quantities.items():
            args[f"quantity_{product.id}"] = format_form_quantity(request.env, quantity)
        return args

    def _render_step_2(
        self,
        values,
        selected,
        args,
        errors=None,
        left_out=None,
        notices=None,
        saved_list=None,
    ):
        """Step 2 of ``selected`` at the quantities of ``args``; ``left_out`` the
        lines or items that named nothing reorderable ({"ref", "text", "reason"}),
        ``notices`` what else the customer should know (rows skipped, a list
        saved); ``saved_list`` the list just saved from it."""
        reorderable = values["reorderable"]
        quantities = {}
        for product in selected:
            posted = values["typed_quantities"].get(product.id)
            if posted is None:
                posted = format_form_quantity(
                    request.env, reorderable[product]["last_quantity"]
                )
            quantities[product.id] = str(posted)[:32]
        selected_keys = {f"product_{product.id}" for product in selected}
        values.update(
            {
                "selected": selected,
                "dropped": [
                    message
                    for key, message in (errors or {}).items()
                    if key.startswith("product_") and key not in selected_keys
                ],
                "quantities": quantities,
                "estimates": self._estimate(reorderable, quantities),
                "errors": errors or {},
                "left_out": left_out or [],
                "notices": notices or [],
                "saved_list": saved_list,
                "list_name": str(args.get("list_name") or "")[:200],
            }
        )
        return request.render("sale_reorder.portal_reorder_new_quantities", values)

    # ------------------------------------------------------------------------------
    # Quick add, upload and download
    # ------------------------------------------------------------------------------

    @http.route(
        "/my/reorders/suggest",
        type="json",
        auth="user",
        methods=["POST"],
        website=True,  # the page's language and company
        readonly=True,
    )
    def portal_reorder_suggest(self, term=None, related_order=None, **kw):
        """Quick add's suggestions as the customer types: up to 10 of the items
        they may reorder whose code, barcode or name holds ``term``.

        :param term: what the customer typed (at least 2 characters)
        :param related_order: the id of the customer's order a request for related
            items is asked from (its items first)
        :return: {"items": [{"id", "code", "name", "uom", "quantity": the quantity
            quick add gives it, as a form field carries it, "image": URL}]}
        """
        self._check_reorder_available()
        term = self._clean_search(term)
        if len(term) < 2:
            return {"items": []}
        partner = self._reorder_partner()
        related_order = self._get_related_order(partner, related_order)
        company = request.env.company
        found = {}
        if related_order:
            # The order's items and add-ons (the history is searched below).
            needle = term.lower()
            for product, item in related_order._get_related_request_items({}).items():
                if (
                    needle in (product.display_name or "").lower()
                    or needle == (product.barcode or "").lower()
                ):
                    found[product] = item
        found.update(
            partner.sudo()._search_reorderable_products(
                company, term, limit=SUGGESTIONS
            )
        )
        portal_format = PortalFormatter(request.env)
        Request = request.env["sale.reorder.request"].sudo()
        items = []
        for product, item in list(found.items())[:SUGGESTIONS]:
            _message, quantity = Request._get_entry_quantity({}, item)
            items.append(
                {
                    "id": product.id,
                    "code": product.default_code or product.barcode or "",
                    "name": product.display_name,
                    "uom": item["uom"].name,
                    "quantity": format_form_quantity(request.env, quantity),
                    "image": f"/my/reorders/image/{product.id}"
                    f"?unique={portal_format.unique(product)}"
                    + (f"&related_order={related_order.id}" if related_order else ""),
                }
            )
        return {"items": items}

    @http.route(
        "/my/reorders/upload",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=False,  # checked below, to give the page back instead of an error page
        readonly=True,  # reads the file and renders step 2: saves nothing
    )
    def portal_reorder_upload(self, **kw):
        """Upload a file (CSV or XLSX: code or barcode, quantity, unit): step 2 with
        every row found, beside what step 1 had chosen; every other row listed
        with its number and why. No file is stored."""
        self._check_reorder_available()
        partner = self._reorder_partner()
        form = request.httprequest.form
        related_order = self._get_related_order(partner, form.get("related_order"))
        selected_ids = self._parse_ids(form.getlist("product_ids"))
        Request = request.env["sale.reorder.request"].sudo()

        def refuse(message):
            return self._render_step_1(
                partner,
                related_order,
                form,
                selected_ids,
                sortby=form.get("sortby"),
                filterby=form.get("filterby"),
                upload_error=message,
            )

        if not request.validate_csrf(form.get("csrf_token")):
            return refuse(request.env._("Your session expired: please upload again."))
        upload = request.httprequest.files.get("item_file")
        if not upload or not upload.filename:
            return refuse(request.env._("Choose a file to upload."))
        try:
            rows = read_item_file(upload.stream.read(MAX_FILE_SIZE + 1))
            entries, skipped = Request._read_item_rows(rows)
        except ItemFileError as error:
            return refuse(Request._get_item_file_error_message(error))
        quantities, rejected = self._match_entries(partner, related_order, entries)
        notices = []
        if skipped == 1:
            notices.append(request.env._("1 row without a quantity was skipped."))
        elif skipped:
            notices.append(
                request.env._(
                    "%(count)s rows without a quantity were skipped.", count=skipped
                )
            )
        args = self._with_quantities(form, quantities)
        selected_ids += [product.id for product in quantities]
        chosen = self._get_offered(partner, related_order, selected_ids)
        selected = self._select(chosen, selected_ids)
        if not selected:
            return self._render_step_1(
                partner,
                related_order,
                form,
                [],
                left_out=rejected,
                upload_error=" ".join(
                    [
                        request.env._("No row of the file names an item to reorder."),
                        *notices,
                    ]
                ),
            )
        values = self._new_request_values(chosen, args, related_order)
        return self._render_step_2(
            values, selected, args, left_out=rejected, notices=notices
        )

    @http.route(
        ["/my/reorders/items.csv", "/my/reorders/items.xlsx"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
        sitemap=False,
    )
    def portal_reorder_download(self, **kw):
        """Download my items: the customer's reorderable items (code, name, unit,
        last and usual quantity, and an empty quantity to fill in), to upload
        again."""
        self._check_reorder_available()
        file_format = request.httprequest.path.rsplit(".", 1)[1]
        content = request.env["sale.reorder.request"]._get_item_file(
            self._get_reorderable(self._reorder_partner()), file_format
        )
        filename = request.env._("my-items") + f".{file_format}"
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    XLSX_MIMETYPE
                    if file_format == "xlsx"
                    else "text/csv; charset=utf-8",
                ),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "no-store"),
            ],
        )

    def _estimate(self, reorderable, quantities):
        """Step 2's figures for {product id: quantity as typed}: the same for the
        page, Update total and the estimate route."""
        return (
            request.env["sale.reorder.request"]
            .sudo()
            ._estimate_portal_prices(
                self._reorder_partner(), request.env.company, reorderable, quantities
            )
        )

    @http.route(
        "/my/reorders/estimate",
        type="json",
        auth="user",
        methods=["POST"],
        website=True,  # the page's language and company
        readonly=True,
    )
    def portal_reorder_estimate(self, quantities=None, related_order=None, **kw):
        """Step 2's line amounts and Estimated Total while the customer types, as
        step 2 itself computes them (the pricelist's quantity breaks included),
        written in the page's language and currency.

        :param quantities: {"<product id>": quantity as typed}, the items of the
            customer's own history only (and of the order of ``related_order``)
        :param related_order: the id of the customer's order a request for related
            items is asked from
        :return: {"lines": {"<product id>": {"counted": bool, "unit_price": str,
            "amount": str, "message": why the line is not counted}}, "total": str,
            "error": why nothing could be estimated, or ""}
        """
        self._check_reorder_available()
        env = request.env
        if not isinstance(quantities, dict) or not quantities:
            return {"lines": {}, "total": "", "error": env._("Nothing to estimate.")}
        if len(quantities) > MAX_ESTIMATE_LINES:
            return {
                "lines": {},
                "total": "",
                "error": env._(
                    "Too many items to estimate at once (at most %(max)s).",
                    max=MAX_ESTIMATE_LINES,
                ),
            }
        product_ids = self._parse_estimate_keys(quantities)
        asked = [product_id for product_id in product_ids.values() if product_id]
        partner = self._reorder_partner()
        reorderable = (
            self._get_offered(
                partner, self._get_related_order(partner, related_order), asked
            )
            if asked
            else {}
        )
        estimates = self._estimate(
            reorderable,
            {
                product_id: quantities[key]
                for key, product_id in product_ids.items()
                if product_id
            },
        )
        portal_format = PortalFormatter(env)
        currency = estimates["currency"]
        lines = {}
        for key, product_id in product_ids.items():
            line = estimates["lines"].get(product_id) or {
                "unit_price": None,
                "message": env["sale.reorder.request"]._not_reorderable_message(),
            }
            lines[key[:20]] = {
                "counted": not line["message"],
                "unit_price": portal_format.amount(line["unit_price"], currency)
                if line["unit_price"] is not None
                else "",
                "amount": ""
                if line["message"]
                else portal_format.amount(line["amount"], currency),
                "message": line["message"] or "",
            }
        return {
            "lines": lines,
            "total": portal_format.amount(estimates["total"], currency),
            "error": "",
        }

    def _parse_estimate_keys(self, quantities):
        """{key: product id, or None}: only an id as the page writes it ("007" and
        "7" would be two lines of one item)."""
        product_ids = {}
        for key in quantities:
            product_id = self._to_int(key)
            product_ids[key] = product_id if str(product_id) == key else None
        return product_ids

    @http.route(
        "/my/reorders/submit",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=False,  # checked below, to give the form back instead of an error page
    )
    def portal_reorder_submit(self, **kw):
        self._check_reorder_available()
        partner = self._reorder_partner()
        form = request.httprequest.form
        product_ids = list(dict.fromkeys(self._parse_ids(form.getlist("product_ids"))))
        if not request.validate_csrf(form.get("csrf_token")):
            return self._render_submit_errors(
                partner,
                product_ids,
                form,
                {"csrf": request.env._("Your session expired: please submit again.")},
                self._get_related_order(partner, form.get("related_order")),
            )
        related_order = self._get_related_order(partner, form.get("related_order"))
        lines = [
            {"product_id": product_id, "quantity": form.get(f"quantity_{product_id}")}
            for product_id in product_ids
        ]
        Request = request.env["sale.reorder.request"].sudo()
        try:
            new_request = Request._create_from_portal(
                partner,
                lines,
                form.get("comment"),
                submission_token=form.get("submission_token"),
                related_order=related_order,
                related_reason=form.get("related_reason") if related_order else None,
            )
        except ReorderInputError as error:
            request.env.cr.rollback()
            return self._render_submit_errors(
                partner, product_ids, form, error.errors, related_order
            )
        except ReorderAlreadySentError:
            # The same form posted twice at the same moment: the other post made it.
            request.env.cr.rollback()
            return request.redirect("/my/reorders?message=already_sent")
        if reorder_list := self._get_reorder_list(form.get("reorder_list")):
            reorder_list._mark_used(partner)
        return request.redirect(
            new_request.get_portal_url(query_string="&message=sent")
        )

    def _render_submit_errors(
        self, partner, product_ids, form, errors, related_order=None
    ):
        """The form again, with the customer's input and the problems named."""
        reorderable = self._get_offered(partner, related_order)
        selected = self._select(reorderable, product_ids)
        if not selected:
            return self._render_step_1(partner, related_order, form, [], error=True)
        values = self._new_request_values(reorderable, form, related_order)
        return self._render_step_2(values, selected, form, errors=errors)
