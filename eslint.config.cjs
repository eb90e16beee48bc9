// eslint (pre-commit) for the browser tours: ES modules run by Odoo's web client. The
// rules are named here rather than taken from a shareable config, which the hook's
// environment could not resolve from this folder.
module.exports = [
    {
        files: ["static/**/*.js"],
        languageOptions: {
            ecmaVersion: 2022,
            sourceType: "module",
            globals: {
                window: "readonly",
                document: "readonly",
                odoo: "readonly",
                setTimeout: "readonly",
                clearTimeout: "readonly",
                DataTransfer: "readonly",
                File: "readonly",
                Event: "readonly",
            },
        },
        rules: {
            "no-undef": "error",
            "no-unused-vars": "error",
            "no-dupe-keys": "error",
            "no-duplicate-imports": "error",
            "no-unreachable": "error",
            "no-redeclare": "error",
            "no-var": "error",
            "prefer-const": "error",
            eqeqeq: "error",
            "no-console": "error",
        },
    },
];
