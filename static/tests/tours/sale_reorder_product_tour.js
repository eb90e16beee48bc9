import {registry} from "@web/core/registry";

const BRACKET_ROW = ".o_data_row:has(td[name=name]:contains('Shelf Bracket'))";

// A sales manager marks a product available for reorder from the list of products.
registry.category("web_tour.tours").add("sale_reorder_mark_product_tour", {
    url: "/odoo/action-sale_reorder.product_template_action_reorder",
    steps: () => [
        {
            content: "Search the shelf bracket",
            trigger: ".o_searchview_input",
            run: "edit Shelf Bracket",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Wait until the list shows the shelf bracket alone",
            trigger: ".o_searchview_facet:contains('Shelf Bracket')",
        },
        {
            trigger: `.o_list_renderer:not(:has(.o_data_row + .o_data_row)) ${BRACKET_ROW}`,
        },
        {
            content: "Mark it available for reorder",
            trigger: `${BRACKET_ROW} td[name=available_for_reorder] .o_boolean_toggle input`,
            run: "click",
        },
        {
            content: "The toggle is on",
            trigger: `${BRACKET_ROW} td[name=available_for_reorder] input:checked`,
        },
    ],
});
