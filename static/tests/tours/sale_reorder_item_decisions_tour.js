import {registry} from "@web/core/registry";

// A row not being edited (the one being edited shows its product in an input).
const item = (name) =>
    `.o_field_one2many[name=line_ids] .o_data_row:not(.o_selected_row):has(td:contains('${name}'))`;

// Staff decide item by item on the request's form, as they do: the hinge declined
// (discontinued), the LED strip replaced by the bracket; Accept & Create then says what
// differs from the request before making the quotation.
registry.category("web_tour.tours").add("sale_reorder_item_decisions_tour", {
    steps: () => [
        {
            content: "The hinge: edit its row",
            trigger: `${item("Hinge")} td[name=decision]`,
            run: "click",
        },
        {
            content: "Decline it",
            trigger: ".o_selected_row td[name=decision] select",
            run: 'select "decline"',
        },
        {
            content: "Why: discontinued",
            trigger: ".o_selected_row td[name=decline_reason] select",
            run: 'select "discontinued"',
        },
        {
            content: "The LED strip: edit its row",
            trigger: `${item("LED Strip")} td[name=decision]`,
            run: "click",
        },
        {
            // Leaving a row is asynchronous: the next step must not find the hinge's
            // row still the one being edited.
            content: "The hinge's row is left, declined as discontinued",
            trigger: `${item("Hinge")} td[name=decline_reason]:contains('Discontinued')`,
        },
        {
            content: "Replace it",
            trigger: ".o_selected_row td[name=decision] select",
            run: 'select "replace"',
        },
        {
            content: "By the bracket",
            trigger: ".o_selected_row td[name=replacement_product_id] input",
            run: "edit Shelf Bracket",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu a:contains('Shelf Bracket')",
            run: "click",
        },
        {
            content: "Save the request",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Accept & Create",
            trigger: ".o_form_view button[name=action_open_accept_wizard]",
            run: "click",
        },
        {
            content: "The dialog names the declined item and its reason",
            trigger:
                ".modal .o_field_widget[name=items_note]:contains('Stainless Steel Hinge (pair) (Discontinued)')",
        },
        {
            content: "and the replacement",
            trigger:
                ".modal .o_field_widget[name=items_note]:contains('Shelf Bracket, Matte Black, 3 Units')",
        },
        {
            content: "Create the quotation",
            trigger: ".modal button[name=action_accept]",
            run: "click",
        },
        {
            content: "The quotation opens",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name=order_line]",
        },
    ],
});

// The customer reads what became of each item on the request's page.
registry.category("web_tour.tours").add("sale_reorder_item_outcomes_tour", {
    steps: () => [
        {
            content: "How many items were accepted",
            trigger:
                ".o_sale_reorder_decision_summary:contains('1 of 3 items accepted, 1 replaced, 1 declined')",
        },
        {
            content: "The screws: as requested",
            trigger:
                "tr:contains('Wood Screws') .o_sale_reorder_outcome_accept:contains('Accepted as requested')",
        },
        {
            content: "The hinge: declined, and why",
            trigger:
                "tr:contains('Hinge') .o_sale_reorder_outcome_decline:contains('Declined: Discontinued')",
        },
        {
            content: "The LED strip: replaced, by what",
            trigger:
                "tr:contains('LED Strip') .o_sale_reorder_outcome_replace:contains('Shelf Bracket, Matte Black, 3 Units')",
        },
        {
            content: "The quotation is among the documents made",
            trigger: ".o_sale_reorder_documents a:contains('S0')",
        },
    ],
});
