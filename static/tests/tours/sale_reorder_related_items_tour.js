import {registry} from "@web/core/registry";

const item = (name) => `.o_sale_reorder_item:contains('${name}')`;

// The customer asks for items related to one of their orders, from its page: the
// order's corner brace and its add-on, the brace screws, with the reason.
registry.category("web_tour.tours").add("sale_reorder_related_items_tour", {
    steps: () => [
        {
            content: "The order's page offers related items",
            trigger: "a.o_sale_reorder_related",
            run: "click",
        },
        {
            content: "Step 1 says which order they are related to",
            trigger:
                ".o_sale_reorder_related_intro:contains('Items related to your order')",
        },
        {
            content: "The add-on of an item of the order is offered",
            trigger: `${item("Brace Screws")} .o_sale_reorder_related_item`,
        },
        {
            content: "Pick the corner brace",
            trigger: `${item("Corner Brace")} input[type=checkbox]`,
            run: "click",
        },
        {
            content: "and its screws",
            trigger: `${item("Brace Screws")} input[type=checkbox]`,
            run: "click",
        },
        {
            content: "Add the items",
            trigger: ".o_sale_reorder_add",
            run: "click",
        },
        {
            content: "Why: extra parts",
            trigger: "select[name=related_reason]",
            run: "select extra_parts",
        },
        {
            content: "A comment",
            trigger: "textarea[name=comment]",
            run: "edit Two braces were missing.",
        },
        {
            content: "Submit",
            trigger: ".o_sale_reorder_submit",
            run: "click",
        },
        {
            content: "The request says what it is related to, and why",
            trigger: ".o_sale_reorder_related_to:contains('Extra parts or components')",
        },
        {
            content: "The request's messages are loaded",
            trigger: "#chatterRoot:shadow .o-mail-Chatter",
            run: async () => {
                await odoo.portalChatterReady;
            },
        },
    ],
});

// Staff accept it as a related order of the customer's order, behind the company's
// security PIN.
registry.category("web_tour.tours").add("sale_reorder_related_order_accept_tour", {
    steps: () => [
        {
            content: "Accept & Create",
            trigger: ".o_form_view button[name=action_open_accept_wizard]",
            run: "click",
        },
        {
            content: "Related Order is offered first",
            trigger:
                ".modal div[name=document_type] select:has(option:selected:contains('Related Order'))",
        },
        {
            content: "Accept & Create",
            trigger: ".modal button[name=action_accept]",
            run: "click",
        },
        {
            content: "Create Related Order's own dialog, for the request's items",
            trigger: ".modal .o_sale_reorder_related_items",
        },
        {
            content: "The notes: the customer's reason and comment",
            trigger:
                ".modal div[name=customer_service_note] textarea:value(Extra parts or components\nTwo braces were missing.)",
        },
        {
            content: "The company's security PIN",
            trigger: ".modal div[name=pin] input",
            run: "edit 2468",
        },
        {
            content: "Create",
            trigger: ".modal button[name=action_create]",
            run: "click",
        },
        {
            content: "The related order opens, related to the customer's order",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_sale_reorder_parent:contains('Related to')",
        },
    ],
});
