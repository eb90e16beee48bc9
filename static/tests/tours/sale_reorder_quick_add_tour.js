import {registry} from "@web/core/registry";

const line = (name) => `.o_sale_reorder_line:contains('${name}')`;

/**
 * Put a file in the file field, as a customer choosing one does.
 *
 * @param {String} selector
 * @param {String} name
 * @param {String} content
 */
function chooseFile(selector, name, content) {
    const input = document.querySelector(selector);
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], name, {type: "text/csv"}));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
}

// Nora, purchasing manager of Lumen Interiors, orders fast: a drawer slide by its
// code (a suggestion), handles by a pasted line (one line names nothing), screws from
// a file (two rows name nothing); then saves the items as a list of her company.
registry.category("web_tour.tours").add("sale_reorder_quick_add_tour", {
    steps: () => [
        {
            content: "Type part of a code in Quick add",
            trigger: "textarea[name=quick_add]",
            run: "edit SR-SL",
        },
        {
            content: "Her drawer slide is suggested: add it",
            trigger: ".o_sale_reorder_suggestion:contains('Drawer Slide')",
            run: "click",
        },
        {
            content: "It is added to her selection",
            trigger: ".o_sale_reorder_quick_added:contains('Drawer Slide')",
        },
        {
            content: "Paste two lines: handles, and a code that names nothing",
            trigger: "textarea[name=quick_add]",
            run() {
                this.anchor.value = "SR-HDL-02 30\nNOPE-1 2";
                this.anchor.dispatchEvent(new Event("input", {bubbles: true}));
            },
        },
        {
            content: "Add them",
            trigger: ".o_sale_reorder_quick_button",
            run: "click",
        },
        {
            content: "The handles are added, at 30",
            trigger:
                ".o_sale_reorder_quick_added:contains('Cabinet Handle'):contains('30')",
        },
        {
            content: "The line naming nothing is listed back, word for word",
            trigger:
                ".o_sale_reorder_left_out:contains('NOPE-1 2'):contains('No item has the code')",
        },
        {
            content: "and left in Quick add, to correct",
            trigger: "textarea[name=quick_add]:value(NOPE-1 2)",
        },
        {
            content: "Two items are chosen",
            trigger: ".o_sale_reorder_selected_count:contains('2 items chosen')",
        },
        {
            content: "Choose a file with two bad rows",
            trigger: "input[name=item_file]",
            run() {
                chooseFile(
                    "input[name=item_file]",
                    "order.csv",
                    "code,quantity\nSR-SCR-04,15\nNOPE-2,1\nSR-LED-06,abc\n"
                );
            },
        },
        {
            content: "Upload it",
            trigger: ".o_sale_reorder_upload",
            run: "click",
        },
        {
            content: "Step 2 has the screws of the file, at 15",
            trigger: `${line("Wood Screws")} input.o_sale_reorder_quantity:value(15)`,
        },
        {
            content: "and what step 1 had chosen",
            trigger: `${line("Cabinet Handle")} input.o_sale_reorder_quantity:value(30)`,
        },
        {
            content: "The two bad rows are listed, with their numbers and why",
            trigger:
                ".o_sale_reorder_left_out:contains('Row 3'):contains('NOPE-2'):contains('Row 4'):contains('Enter the quantity as a number')",
        },
        {
            content: "Name a list",
            trigger: "input[name=list_name]",
            run: "edit Site monthly",
        },
        {
            content: "Save as list",
            trigger: ".o_sale_reorder_save_list_button",
            run: "click",
        },
        {
            content: "The list is saved for her company; step 2 is still there",
            trigger: ".o_sale_reorder_list_saved:contains('Site monthly')",
        },
        {
            content: "with the quantities",
            trigger: `${line("Wood Screws")} input.o_sale_reorder_quantity:value(15)`,
        },
    ],
});

// Theo, her colleague, requests the list from My lists.
registry.category("web_tour.tours").add("sale_reorder_request_list_tour", {
    steps: () => [
        {
            content: "Nora's list is among his company's, with who saved it",
            trigger: ".o_sale_reorder_list_row:contains('Site monthly')",
        },
        {
            content: "Request it",
            trigger:
                ".o_sale_reorder_list_row:contains('Site monthly') .o_sale_reorder_request_list",
            run: "click",
        },
        {
            content: "Step 2 says which list it comes from",
            trigger: ".o_sale_reorder_from_list:contains('Site monthly')",
        },
        {
            content: "with the list's quantities",
            trigger: `${line("Wood Screws")} input.o_sale_reorder_quantity:value(15)`,
        },
        {
            content: "Submit",
            trigger: ".o_sale_reorder_submit",
            run: "click",
        },
        {
            content: "The request is sent",
            trigger: ".o_sale_reorder_sent",
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
