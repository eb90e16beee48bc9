from werkzeug.datastructures import MultiDict

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.sale_reorder_request.submission import ReorderInputError
from .portal_format import PortalFormatter
from .portal_new_request import ReorderNewRequestPortal


class ReorderListPortal(ReorderNewRequestPortal):
    """/my/reorders/lists: the lists a customer company shares (Save as list in step
    2; open, rename, delete, request). Parse, check, call one model method, render:
    what a list may hold and who may change it lives in sale.reorder.list."""

    # 20 a page, with the portal's pager.
    _reorder_lists_per_page = 20

    def _reorder_list_domain(self, partner):
        return [
            ("partner_id", "=", partner.commercial_partner_id.id),
            ("company_id", "=", request.env.company.id),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "reorder_list_count" in counters:
            List = request.env["sale.reorder.list"]
            values["reorder_list_count"] = (
                List.search_count(self._reorder_list_domain(self._reorder_partner()))
                if self._reorder_enabled() and List.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/reorders/lists", "/my/reorders/lists/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_reorder_lists(self, page=1, message=None, **kw):
        self._check_reorder_available()
        partner = self._reorder_partner()
        List = request.env["sale.reorder.list"]
        domain = self._reorder_list_domain(partner)
        pager = portal_pager(
            url="/my/reorders/lists",
            total=List.search_count(domain),
            page=self._parse_page(page),
            step=self._reorder_lists_per_page,
        )
        lists = List.search(
            domain, limit=self._reorder_lists_per_page, offset=pager["offset"]
        ).sudo()
        # Who made them and who last used them: read together, not list by list.
        (lists.author_id | lists.last_used_by_id).mapped("name")
        return request.render(
            "sale_reorder.portal_my_reorder_lists",
            {
                **self._prepare_portal_layout_values(),
                "page_name": "reorder_lists",
                "reorder_lists": lists,
                "pager": pager,
                "message": message if message in ("deleted",) else None,
                "can_reorder": self._has_reorderable(partner),
                "portal_format": PortalFormatter(request.env),
            },
        )

    @http.route(
        "/my/reorders/lists/<int:list_id>",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_reorder_list_page(self, list_id, message=None, **kw):
        self._check_reorder_available()
        reorder_list = self._get_reorder_list(list_id, not_found=True)
        return self._render_list_page(
            reorder_list, message=message if message in ("renamed",) else None
        )

    def _render_list_page(self, reorder_list, message=None, errors=None, name=None):
        partner = self._reorder_partner()
        list_sudo = reorder_list.sudo()
        reorderable = self._get_reorderable(partner, list_sudo.line_ids.product_id.ids)
        return request.render(
            "sale_reorder.portal_reorder_list_page",
            {
                **self._prepare_portal_layout_values(),
                "page_name": "reorder_lists",
                "reorder_list": list_sudo,
                "reorderable": reorderable,
                "message": message,
                "errors": errors or {},
                "typed_name": name if name is not None else list_sudo.name,
                "portal_format": PortalFormatter(request.env),
            },
        )

    @http.route(
        "/my/reorders/lists/<int:list_id>/rename",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_reorder_list_rename(self, list_id, name=None, **kw):
        self._check_reorder_available()
        reorder_list = self._get_reorder_list(list_id, not_found=True)
        try:
            reorder_list.rename_from_portal(name)
        except UserError as error:
            request.env.cr.rollback()
            return self._render_list_page(
                reorder_list, errors={"name": error.args[0]}, name=name
            )
        return request.redirect(f"/my/reorders/lists/{reorder_list.id}?message=renamed")

    @http.route(
        "/my/reorders/lists/<int:list_id>/delete",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_reorder_list_delete(self, list_id, **kw):
        self._check_reorder_available()
        reorder_list = self._get_reorder_list(list_id, not_found=True)
        reorder_list.unlink_from_portal()
        return request.redirect("/my/reorders/lists?message=deleted")

    @http.route(
        "/my/reorders/lists/<int:list_id>/request",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_reorder_list_request(self, list_id, **kw):
        """Request this list: step 2 with its items at their quantities; those no
        longer reorderable are named and left out."""
        self._check_reorder_available()
        reorder_list = self._get_reorder_list(list_id, not_found=True)
        partner = self._reorder_partner()
        list_sudo = reorder_list.sudo()
        reorderable = self._get_reorderable(partner, list_sudo.line_ids.product_id.ids)
        quantities, unavailable = list_sudo._get_request_items(reorderable)
        left_out = [
            {
                "ref": "",
                "text": name,
                "reason": request.env[
                    "sale.reorder.request"
                ]._not_reorderable_message(),
            }
            for name in unavailable
        ]
        if not quantities:
            return self._render_list_page(
                reorder_list, errors={"request": self._no_item_left_message()}
            )
        args = self._with_quantities({"reorder_list": str(list_sudo.id)}, quantities)
        selected = self._select(reorderable, [product.id for product in quantities])
        values = self._new_request_values(reorderable, args)
        return self._render_step_2(values, selected, args, left_out=left_out)

    def _no_item_left_message(self):
        return request.env._(
            "No item of this list can be reordered any more: they are no longer "
            "among your items available for reorder."
        )

    @http.route(
        "/my/reorders/lists/save",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=False,  # checked below, to give step 2 back instead of an error page
    )
    def portal_reorder_list_save(self, **kw):
        """Save as list, from step 2: its items and quantities, under a name; step 2
        again, with the list saved (or what to correct), nothing else lost."""
        self._check_reorder_available()
        partner = self._reorder_partner()
        form = request.httprequest.form
        product_ids = list(dict.fromkeys(self._parse_ids(form.getlist("product_ids"))))
        errors = {}
        saved = None
        if not request.validate_csrf(form.get("csrf_token")):
            errors["csrf"] = request.env._("Your session expired: please save again.")
        else:
            lines = [
                {
                    "product_id": product_id,
                    "quantity": form.get(f"quantity_{product_id}"),
                }
                for product_id in product_ids
            ]
            try:
                saved = request.env["sale.reorder.list"].browse(
                    request.env["sale.reorder.list"].create_from_portal(
                        form.get("list_name"), lines
                    )
                )
            except ReorderInputError as error:
                request.env.cr.rollback()
                errors = error.errors
        reorderable = self._get_offered(partner, None, product_ids)
        selected = self._select(reorderable, product_ids)
        if not selected:
            return self._render_step_1(partner, None, form, [], error=True)
        args = form
        if saved:
            args = MultiDict(form)
            args["reorder_list"] = str(saved.id)
            args["list_name"] = ""
        values = self._new_request_values(reorderable, args)
        return self._render_step_2(
            values, selected, args, errors=errors, saved_list=saved and saved.sudo()
        )
