/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import {debounce} from "@web/core/utils/timing";
import {rpc} from "@web/core/network/rpc";

/**
 * Step 2 of a new reorder request: each line's unit price and amount and the
 * Estimated Total follow the quantities as they are typed. The server computes them
 * (the customer's pricelist with its quantity breaks, as on submit) and writes them in
 * the page's language and currency; this only shows what it answers. Without
 * JavaScript, or when the server cannot be reached, "Update total" posts the form back
 * to step 2, which shows the same figures.
 */
publicWidget.registry.SaleReorderEstimate = publicWidget.Widget.extend({
    selector: ".o_sale_reorder_quantities_form",
    events: {
        "input .o_sale_reorder_quantity": "_onQuantityInput",
        "keydown .o_sale_reorder_quantity": "_onQuantityKeydown",
    },

    /**
     * @override
     */
    start() {
        // The number of the latest estimate asked: an older answer arriving after a
        // newer question is dropped.
        this.estimateNumber = 0;
        this._estimateSoon = debounce(() => this._estimate(), 300);
        this._showUpdateButton(false);
        // Typed before this script ran, or restored by the browser (Back): the
        // figures the page came with are not those of the quantities shown.
        const inputs = this.el.querySelectorAll(".o_sale_reorder_quantity");
        if ([...inputs].some((input) => input.value !== input.defaultValue)) {
            this._estimate();
        }
        return this._super(...arguments);
    },

    /**
     * @override
     */
    destroy() {
        this._estimateSoon.cancel();
        this._super(...arguments);
    },

    //--------------------------------------------------------------------------
    // Private
    //--------------------------------------------------------------------------

    /**
     * @private
     * @returns {Object} {"<product id>": quantity as typed}
     */
    _getQuantities() {
        const quantities = {};
        for (const input of this.el.querySelectorAll(".o_sale_reorder_quantity")) {
            quantities[input.dataset.productId] = input.value;
        }
        return quantities;
    },

    /**
     * Ask the server for the figures of the quantities typed now.
     *
     * @private
     */
    async _estimate() {
        const number = ++this.estimateNumber;
        let result;
        try {
            result = await rpc(
                "/my/reorders/estimate",
                {
                    quantities: this._getQuantities(),
                    related_order: this.el.dataset.relatedOrder || null,
                },
                {silent: true}
            );
        } catch {
            // Offline, session expired, server error: the figures shown may be out of
            // date; the next change asks again, and Update total still works.
            if (number === this.estimateNumber) {
                this._showFailure(true);
            }
            return;
        }
        if (number !== this.estimateNumber) {
            return;
        }
        if (result.error) {
            this._showFailure(true);
            return;
        }
        this._showFailure(false);
        for (const line of this.el.querySelectorAll(".o_sale_reorder_line")) {
            const estimate = result.lines[line.dataset.productId];
            if (estimate) {
                this._updateLine(line, estimate);
            }
        }
        this.el.querySelector(".o_sale_reorder_total_amount").textContent =
            result.total;
        const notCounted = Object.values(result.lines).some((line) => !line.counted);
        this.el
            .querySelector(".o_sale_reorder_total_not_counted")
            .classList.toggle("d-none", !notCounted);
    },

    /**
     * @private
     * @param {HTMLElement} line
     * @param {Object} estimate {counted, unit_price, amount, message}
     */
    _updateLine(line, estimate) {
        const input = line.querySelector(".o_sale_reorder_quantity");
        const feedback = line.querySelector(".o_sale_reorder_line_error");
        if (estimate.unit_price) {
            line.querySelector(".o_sale_reorder_unit_price").textContent =
                estimate.unit_price;
        }
        const amount = line.querySelector(".o_sale_reorder_amount");
        amount.textContent = estimate.amount;
        amount.classList.toggle("d-none", !estimate.counted);
        line.querySelector(".o_sale_reorder_not_counted").classList.toggle(
            "d-none",
            estimate.counted
        );
        feedback.textContent = estimate.message;
        feedback.classList.toggle("d-block", !estimate.counted);
        input.classList.toggle("is-invalid", !estimate.counted);
        if (estimate.counted) {
            input.removeAttribute("aria-invalid");
            input.removeAttribute("aria-describedby");
        } else {
            input.setAttribute("aria-invalid", "true");
            input.setAttribute("aria-describedby", feedback.id);
        }
    },

    /**
     * @private
     * @param {Boolean} failed
     */
    _showFailure(failed) {
        this.el
            .querySelector(".o_sale_reorder_total_failed")
            .classList.toggle("d-none", !failed);
        this._showUpdateButton(failed);
    },

    /**
     * @private
     * @param {Boolean} shown
     */
    _showUpdateButton(shown) {
        this.el
            .querySelector(".o_sale_reorder_update_total")
            .classList.toggle("d-none", !shown);
    },

    //--------------------------------------------------------------------------
    // Handlers
    //--------------------------------------------------------------------------

    /**
     * @private
     */
    _onQuantityInput() {
        this._estimateSoon();
    },

    /**
     * Enter in a quantity updates the figures at once, without leaving the page.
     *
     * @private
     * @param {KeyboardEvent} ev
     */
    _onQuantityKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            this._estimateSoon.cancel();
            this._estimate();
        }
    },
});

export default publicWidget.registry.SaleReorderEstimate;
