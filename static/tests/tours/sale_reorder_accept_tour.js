import {registry} from "@web/core/registry";

const row = (customer) =>
    `.o_data_row:has(td[name=partner_id]:contains('${customer}'))`;
const KIND = ".modal div[name=document_type] select";

// Staff open Accept & Create on two requests one after the other, as the web client
// keeps the dialog's view: each offers only what can be made of its own items.
registry.category("web_tour.tours").add("sale_reorder_accept_offers_tour", {
    steps: () => [
        {
            content: "Open the request whose item has a bill of materials",
            trigger: `${row("Maker Workshop")} td[name=name]`,
            run: "click",
        },
        {
            content: "Accept & Create",
            trigger: ".o_form_view button[name=action_open_accept_wizard]",
            run: "click",
        },
        {
            content: "Manufacturing Order is offered",
            trigger: `${KIND}:has(option:contains('Manufacturing Order'))`,
        },
        {
            content: "Close the dialog",
            trigger: ".modal button.btn-secondary:contains('Discard')",
            run: "click",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button, .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open the request whose items have none",
            trigger: `${row("Plain Traders")} td[name=name]`,
            run: "click",
        },
        {
            content: "Accept & Create",
            trigger: ".o_form_view button[name=action_open_accept_wizard]",
            run: "click",
        },
        {
            content: "Quotation is offered",
            trigger: `${KIND}:has(option:contains('Quotation'))`,
        },
        {
            content: "Manufacturing Order is not",
            trigger: `${KIND}:not(:has(option:contains('Manufacturing Order')))`,
        },
        {
            content: "Create the quotation",
            trigger: ".modal button[name=action_accept]",
            run: "click",
        },
        {
            // The quotation's own lines (the request's form has none of that name).
            content: "The quotation opens",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name=order_line]",
        },
    ],
});
