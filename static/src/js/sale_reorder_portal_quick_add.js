/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import {debounce} from "@web/core/utils/timing";
import {rpc} from "@web/core/network/rpc";

/**
 * Step 1's Quick add: up to 10 suggestions among the customer's own reorderable items
 * as a code, a barcode or a name is typed. Enter or a click on a suggestion adds it;
 * Enter on typed or pasted lines adds them (Shift+Enter starts a new line). Adding
 * posts step 1's form, as the Add button does without JavaScript: the server reads
 * the lines, adds what they name to the selection, and gives back the lines that
 * name nothing, as typed. Also keeps "n items chosen" in step with the ticks.
 */
publicWidget.registry.SaleReorderQuickAdd = publicWidget.Widget.extend({
    selector: ".o_sale_reorder_items_form",
    events: {
        "input .o_sale_reorder_quick_add": "_onQuickInput",
        "keydown .o_sale_reorder_quick_add": "_onQuickKeydown",
        "blur .o_sale_reorder_quick_add": "_onQuickBlur",
        "mousedown .o_sale_reorder_suggestion": "_onSuggestionMousedown",
        "click .o_sale_reorder_suggestion": "_onSuggestionClick",
        "change input[name='product_ids']": "_updateChosenCount",
    },

    /**
     * @override
     */
    start() {
        this.textarea = this.el.querySelector(".o_sale_reorder_quick_add");
        this.menu = this.el.querySelector(".o_sale_reorder_suggestions");
        this.suggestions = [];
        this.active = -1;
        this.searchNumber = 0;
        this._suggestSoon = debounce(() => this._suggest(), 250);
        if (this.textarea) {
            this.textarea.setAttribute("role", "combobox");
            this.textarea.setAttribute("aria-expanded", "false");
            this._fitTextarea();
        }
        return this._super(...arguments);
    },

    /**
     * @override
     */
    destroy() {
        this._suggestSoon.cancel();
        clearTimeout(this.closeTimeout);
        this._super(...arguments);
    },

    //--------------------------------------------------------------------------
    // Private
    //--------------------------------------------------------------------------

    /**
     * The quick add field grows with the lines pasted into it (up to 8).
     *
     * @private
     */
    _fitTextarea() {
        const lines = this.textarea.value.split("\n").length;
        this.textarea.rows = Math.min(Math.max(lines, 1), 8);
    },

    /**
     * @private
     */
    async _suggest() {
        const term = this.textarea.value.trim();
        const number = ++this.searchNumber;
        if (term.length < 2 || term.includes("\n")) {
            this._showSuggestions([]);
            return;
        }
        let result;
        try {
            result = await rpc(
                "/my/reorders/suggest",
                {term, related_order: this.el.dataset.relatedOrder || null},
                {silent: true}
            );
        } catch {
            // No suggestion: Enter still adds what is typed, through the server.
            result = {items: []};
        }
        if (number === this.searchNumber) {
            this._showSuggestions(result.items || []);
        }
    },

    /**
     * @private
     * @param {Object[]} items
     */
    _showSuggestions(items) {
        this.suggestions = items;
        this.active = -1;
        this.menu.replaceChildren();
        items.forEach((item, index) => {
            const option = document.createElement("li");
            option.id = `o_sale_reorder_suggestion_${index}`;
            option.setAttribute("role", "option");
            option.setAttribute("aria-selected", "false");
            option.className =
                "dropdown-item d-flex align-items-center gap-2 text-wrap o_sale_reorder_suggestion";
            option.dataset.index = index;
            const image = document.createElement("img");
            image.src = item.image;
            image.alt = "";
            image.width = 32;
            image.height = 32;
            image.className = "rounded flex-shrink-0";
            const text = document.createElement("span");
            text.className = "min-w-0";
            const name = document.createElement("span");
            name.className = "d-block text-break";
            name.textContent = item.name;
            const detail = document.createElement("small");
            detail.className = "d-block text-muted";
            detail.textContent = `${item.quantity} ${item.uom}`;
            text.append(name, detail);
            option.append(image, text);
            this.menu.append(option);
        });
        const open = items.length > 0;
        this.menu.classList.toggle("show", open);
        this.textarea.setAttribute("aria-expanded", open ? "true" : "false");
        this.textarea.removeAttribute("aria-activedescendant");
    },

    /**
     * @private
     * @param {Number} index
     */
    _setActive(index) {
        const options = this.menu.querySelectorAll(".o_sale_reorder_suggestion");
        this.active = index;
        options.forEach((option, i) => {
            option.classList.toggle("active", i === index);
            option.setAttribute("aria-selected", i === index ? "true" : "false");
        });
        if (index >= 0 && options[index]) {
            this.textarea.setAttribute("aria-activedescendant", options[index].id);
            options[index].scrollIntoView({block: "nearest"});
        } else {
            this.textarea.removeAttribute("aria-activedescendant");
        }
    },

    /**
     * Add: the suggestion chosen, or the lines typed; through the server either way.
     *
     * @private
     * @param {Object} [item] a suggestion
     */
    _add(item) {
        const button = this.el.querySelector(".o_sale_reorder_quick_button");
        // A suggestion chosen before (the page restored by Back) is not added again.
        this.el.querySelector("input[name=quick_product]")?.remove();
        if (item) {
            const input = document.createElement("input");
            input.type = "hidden";
            input.name = "quick_product";
            input.value = item.id;
            this.el.append(input);
            this.textarea.value = "";
        }
        this._suggestSoon.cancel();
        this.el.requestSubmit(button);
    },

    /**
     * @private
     */
    _updateChosenCount() {
        const chosen = new Set();
        for (const input of this.el.querySelectorAll("input[name='product_ids']")) {
            if (input.type === "hidden" || input.checked) {
                chosen.add(input.value);
            }
        }
        const counter = this.el.querySelector(".o_sale_reorder_selected_count");
        if (counter) {
            const one = this.el.querySelector(".o_sale_reorder_count_one");
            const many = this.el.querySelector(".o_sale_reorder_count_many");
            counter.textContent = chosen.size
                ? chosen.size === 1
                    ? one.textContent
                    : many.textContent.replace("%s", chosen.size)
                : "";
        }
    },

    //--------------------------------------------------------------------------
    // Handlers
    //--------------------------------------------------------------------------

    /**
     * @private
     */
    _onQuickInput() {
        this._fitTextarea();
        this._suggestSoon();
    },

    /**
     * @private
     * @param {KeyboardEvent} ev
     */
    _onQuickKeydown(ev) {
        const count = this.suggestions.length;
        if (ev.key === "ArrowDown" && count) {
            ev.preventDefault();
            this._setActive((this.active + 1) % count);
        } else if (ev.key === "ArrowUp" && count) {
            ev.preventDefault();
            this._setActive(this.active <= 0 ? count - 1 : this.active - 1);
        } else if (ev.key === "Escape" && count) {
            ev.preventDefault();
            this._showSuggestions([]);
        } else if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
            ev.preventDefault();
            if (this.active >= 0) {
                this._add(this.suggestions[this.active]);
            } else if (this.textarea.value.trim()) {
                this._add();
            }
        }
    },

    /**
     * @private
     */
    _onQuickBlur() {
        // Later: a tap on a suggestion blurs the field before its click.
        clearTimeout(this.closeTimeout);
        this.closeTimeout = setTimeout(() => this._showSuggestions([]), 200);
    },

    /**
     * The field keeps the focus while a suggestion is pressed.
     *
     * @private
     * @param {MouseEvent} ev
     */
    _onSuggestionMousedown(ev) {
        ev.preventDefault();
    },

    /**
     * @private
     * @param {MouseEvent} ev
     */
    _onSuggestionClick(ev) {
        clearTimeout(this.closeTimeout);
        const option = ev.currentTarget;
        this._add(this.suggestions[Number(option.dataset.index)]);
    },
});

/**
 * Step 2's Save as list: Enter in the list's name saves it (the form's first button,
 * which Enter presses elsewhere, updates the total).
 */
publicWidget.registry.SaleReorderSaveList = publicWidget.Widget.extend({
    selector: ".o_sale_reorder_save_list",
    events: {
        "keydown input[name='list_name']": "_onNameKeydown",
    },

    /**
     * @private
     * @param {KeyboardEvent} ev
     */
    _onNameKeydown(ev) {
        if (ev.key === "Enter" && !ev.isComposing) {
            ev.preventDefault();
            const button = this.el.querySelector(".o_sale_reorder_save_list_button");
            button.form.requestSubmit(button);
        }
    },
});

/**
 * A list's Delete asks first: the list is every contact's of the company.
 */
publicWidget.registry.SaleReorderDeleteList = publicWidget.Widget.extend({
    selector: ".o_sale_reorder_delete_list",
    events: {
        submit: "_onSubmit",
    },

    /**
     * @private
     * @param {SubmitEvent} ev
     */
    _onSubmit(ev) {
        const question = this.el.querySelector(".o_sale_reorder_delete_confirm");
        if (!window.confirm(question.textContent.trim())) {
            ev.preventDefault();
        }
    },
});
