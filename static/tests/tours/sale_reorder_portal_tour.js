import {registry} from "@web/core/registry";

const item = (name) => `.o_sale_reorder_item:contains('${name}')`;
const line = (name) => `.o_sale_reorder_line:contains('${name}')`;

// The demo portal customer asks to reorder two items they bought before.
// A request's page loads its messages after the page itself: a tour that ends there
// waits for them, or the browser's fetch is cut off (an error after the tour's end).
const requestMessagesLoaded = {
    content: "The request's messages are loaded",
    trigger: "#chatterRoot:shadow .o-mail-Chatter",
    run: async () => {
        await odoo.portalChatterReady;
    },
};

registry.category("web_tour.tours").add("sale_reorder_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home says what is due and opens a new request",
            trigger:
                ".o_portal_index_card a[href='/my/reorders/new']:contains('Reorder Requests'):contains('2 items due')",
            run: "click",
        },
        {
            content: "Due first: the overdue LED strip, then the screws",
            trigger: `.o_sale_reorder_item:first:contains('LED Strip Light') .o_sale_reorder_due_badge:contains('days overdue')`,
        },
        {
            trigger: `.o_sale_reorder_item:eq(1):contains('Wood Screws') .o_sale_reorder_due_badge`,
        },
        {
            trigger: `${item("Wood Screws")} .o_sale_reorder_rhythm:contains('Usually every ~30 days')`,
        },
        {
            content: "Pick the hinges",
            trigger: `${item("Stainless Steel Hinge")} input[type=checkbox]`,
            run: "click",
        },
        {
            content: "Pick the LED strip",
            trigger: `${item("LED Strip Light")} input[type=checkbox]`,
            run: "click",
        },
        {
            content: "Add the items",
            trigger: ".o_sale_reorder_add",
            run: "click",
        },
        {
            content: "The hinges come with the last ordered quantity",
            trigger: `${line("Stainless Steel Hinge")} input[name^=quantity_]:value(6)`,
        },
        {
            content: "The hinges at $ 12.50: 6 make $ 75.00, the total $ 171.00",
            trigger: `${line("Stainless Steel Hinge")} .o_sale_reorder_amount:contains('75.00')`,
        },
        {
            trigger: ".o_sale_reorder_total_amount:contains('171.00')",
        },
        {
            content: "A quantity that is no number",
            trigger: `${line("Stainless Steel Hinge")} input[name^=quantity_]`,
            run: "edit ten",
        },
        {
            content: "The line is not counted, and the server says why",
            trigger: `${line("Stainless Steel Hinge")} .o_sale_reorder_not_counted:visible`,
        },
        {
            trigger: `${line("Stainless Steel Hinge")} .o_sale_reorder_line_error:visible:contains('Enter the quantity as a number.')`,
        },
        {
            content: "The total counts the LED strips only, and says so",
            trigger: ".o_sale_reorder_total_amount:contains('96.00')",
        },
        {
            trigger:
                ".o_sale_reorder_total_not_counted:visible:contains('Lines marked Not counted are left out of the total.')",
        },
        {
            content: "Order more hinges this time",
            trigger: `${line("Stainless Steel Hinge")} input[name^=quantity_]`,
            run: "edit 10",
        },
        {
            content: "The line amount follows the quantity: 10 × $ 12.50",
            trigger: `${line("Stainless Steel Hinge")} .o_sale_reorder_amount:visible:contains('125.00')`,
        },
        {
            content: "So does the Estimated Total, next to Submit",
            trigger: ".o_sale_reorder_total_amount:contains('221.00')",
        },
        {
            trigger: `body:not(:has(.o_sale_reorder_line_error:visible)):not(:has(.o_sale_reorder_total_not_counted:visible))`,
        },
        {
            content: "Leave a comment",
            trigger: "textarea[name=comment]",
            run: "edit Please ship everything together.",
        },
        {
            content: "Submit the request",
            trigger: ".o_sale_reorder_submit",
            run: "click",
        },
        {
            content: "The request was sent and is pending",
            trigger: ".alert-success:contains('was sent')",
        },
        {
            trigger: ".card-header .badge:contains('Pending')",
        },
        {
            trigger:
                ".o_sale_reorder_comment:contains('Please ship everything together.')",
        },
        requestMessagesLoaded,
    ],
});

// After staff accepted it, the customer sees it Accepted with its quotation.
registry.category("web_tour.tours").add("sale_reorder_portal_accepted_tour", {
    url: "/my/reorders",
    steps: () => [
        {
            content: "Open the newest request",
            trigger: ".o_sale_reorder_row:first a",
            run: "click",
        },
        {
            content: "It is accepted",
            trigger: ".card-header .badge:contains('Accepted')",
        },
        {
            content: "Open the quotation made from it",
            trigger: ".o_sale_reorder_documents a",
            run: "click",
        },
        {
            content: "The quotation's own portal page",
            trigger: "#sale_order_communication, .o_portal_sale_sidebar",
        },
        {
            content: "Back to the list of quotations",
            trigger: ".breadcrumb a:contains('Quotations')",
            run: "click",
        },
        {
            content: "The quotation is among the customer's quotations",
            trigger: ".o_portal_my_doc_table tbody tr a",
        },
    ],
});

// Quick reorder: from an invoice page straight to the quantities.
registry.category("web_tour.tours").add("sale_reorder_quick_reorder_tour", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "Open an invoice",
            trigger: ".o_portal_my_doc_table tbody tr a",
            run: "click",
        },
        {
            content: "Reorder its items",
            trigger: ".o_sale_reorder_quick",
            run: "click",
        },
        {
            content:
                "Step 2 lists the invoice's reorderable items with their quantities",
            trigger: ".o_sale_reorder_line input[name^=quantity_]",
        },
        {
            content: "Submit the request",
            trigger: ".o_sale_reorder_submit",
            run: "click",
        },
        {
            trigger: ".alert-success:contains('was sent')",
        },
        requestMessagesLoaded,
    ],
});

// "Request my usual": every due item at the quantity usually ordered, in one click.
registry.category("web_tour.tours").add("sale_reorder_usual_tour", {
    url: "/my/reorders/new",
    steps: () => [
        {
            content: "Only what is due",
            trigger: ".o_sale_reorder_sorting button[name=filterby][value=due]",
            run: "click",
        },
        {
            trigger: ".o_sale_reorder_item:contains('Wood Screws')",
        },
        {
            content: "Nothing else is shown",
            trigger:
                "body:not(:has(.o_sale_reorder_item:contains('Stainless Steel Hinge')))",
        },
        {
            content: "Request my usual",
            trigger: ".o_sale_reorder_usual a",
            run: "click",
        },
        {
            content: "The screws at their usual quantity",
            trigger: `${line("Wood Screws")} input[name^=quantity_]:value(20)`,
        },
        {
            content: "The LED strips at theirs",
            trigger: `${line("LED Strip Light")} input[name^=quantity_]:value(3)`,
        },
        {
            content: "A few more screws this time",
            trigger: `${line("Wood Screws")} input[name^=quantity_]`,
            run: "edit 30",
        },
        {
            content: "Submit the request",
            trigger: ".o_sale_reorder_submit",
            run: "click",
        },
        {
            trigger: ".alert-success:contains('was sent')",
        },
        requestMessagesLoaded,
    ],
});
