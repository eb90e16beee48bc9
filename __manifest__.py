# Copyright 2026 Sale Reorder contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Sale Reorder",
    "summary": "Portal customers reorder what they bought before; related sales orders",
    "version": "18.0.1.2.0",
    "category": "Sales/Sales",
    "website": "https://github.com/sale-reorder/sale_reorder",
    "author": "Sale Reorder contributors",
    "maintainers": ["sale-reorder"],
    "license": "LGPL-3",
    "depends": ["sale_crm", "portal", "account"],
    "data": [
        "security/sale_reorder_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/crm_data.xml",
        "data/mail_templates.xml",
        "data/res_company_data.xml",
        "views/product_template_views.xml",
        "views/sale_reorder_request_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/sale_reorder_portal_templates.xml",
        "views/sale_reorder_portal_new_templates.xml",
        "views/sale_reorder_portal_document_templates.xml",
        "views/sale_order_views.xml",
        "wizards/sale_reorder_accept_views.xml",
        "wizards/sale_reorder_decline_views.xml",
        "wizards/sale_related_order_create_views.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/account_move_demo.xml",
        "demo/sale_reorder_request_demo.xml",
        "demo/sale_order_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "sale_reorder/static/src/scss/sale_reorder_portal.scss",
        ],
        "web.assets_tests": [
            "sale_reorder/static/tests/tours/*.js",
        ],
    },
}
