import {registry} from "@web/core/registry";

// A salesperson creates a related order, with notes and the PIN, from a confirmed order.
registry.category("web_tour.tours").add("sale_related_order_tour", {
    steps: () => [
        {
            content: "Create a related order from the confirmed order",
            trigger: ".o_form_view button[name=action_open_related_order_wizard]",
            run: "click",
        },
        {
            content: "Write why",
            trigger: ".modal div[name=customer_service_note] textarea",
            run: "edit Customer kept the wrong hinge; send the right one.",
        },
        {
            content: "Type a wrong security PIN",
            trigger: ".modal div[name=pin] input",
            run: "edit 1111",
        },
        {
            content: "Try to create",
            trigger: ".modal button[name=action_create]",
            run: "click",
        },
        {
            content: "The dialog stays open and says why",
            trigger:
                ".modal .o_sale_related_order_pin_error:contains('Wrong security PIN')",
        },
        {
            content: "The wrong PIN is gone from the field",
            trigger: ".modal div[name=pin] input",
            run() {
                if (this.anchor.value) {
                    throw new Error("The refused PIN is still in the field");
                }
            },
        },
        {
            content: "The notes typed before are kept",
            trigger:
                ".modal div[name=customer_service_note] textarea:value(Customer kept the wrong hinge; send the right one.)",
        },
        {
            content: "Type the security PIN",
            trigger: ".modal div[name=pin] input",
            run: "edit 2468",
        },
        {
            content: "Create",
            trigger: ".modal button[name=action_create]",
            run: "click",
        },
        {
            content: "The new order shows its parent",
            trigger: ".o_form_view .o_sale_reorder_parent:contains('Related to')",
        },
        {
            content: "Its chatter logs the creation",
            trigger: ".o-mail-Message:contains('Related order')",
        },
    ],
});
