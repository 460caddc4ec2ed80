// Self-checking exercises of the derive site: plumbing only.
//
// The reader's expression is parsed by jsep (from npm, copied into the site
// by `derive build`) and evaluated at random points of the derivation's
// domain, drawn at build time by the derivation's own samplers.  The verified
// result is evaluated at the same points by a function that `derive build`
// printed from the SymPy result with SymPy's JavaScript printer; so are the
// named quantities the reader may use (the prediction, a softmax output ...)
// and the sigmoid.  Nothing here is a formula: only parsing, a tree walk
// applying + - * / ^ and the named functions, and the comparison.
(function () {
  "use strict";
  if (window.deriveExercises) {
    return;
  }
  var TOLERANCE = 1e-8; // relative, floored at 1: evaluation order differs, digits do not
  var FUNCTIONS = { exp: Math.exp, log: Math.log, ln: Math.log, sqrt: Math.sqrt };
  var CONSTANTS = { e: Math.E };

  // jsep as a calculator's parser: numbers, names, calls, + - * / and ^ (or **), nothing else.
  jsep.removeAllBinaryOps();
  jsep.addBinaryOp("+", 9);
  jsep.addBinaryOp("-", 9);
  jsep.addBinaryOp("*", 10);
  jsep.addBinaryOp("/", 10);
  jsep.addBinaryOp("^", 11, true);
  jsep.addBinaryOp("**", 11, true);
  jsep.removeAllUnaryOps();
  jsep.addUnaryOp("-");
  jsep.addUnaryOp("+");
  jsep.removeAllLiterals();
  // Keep parentheses in the tree, so that -z^2 (minus the square) and (-z)^2 differ.
  jsep.hooks.add("gobble-token", function (env) {
    if (this.code === 40) {
      var start = this.index;
      var inner = this.gobbleGroup();
      if (!inner) this.throwError("Empty parentheses");
      env.node = { type: "Group", expression: inner, start: start };
    }
  });

  function ReaderError(message) {
    this.message = message;
  }

  function format(v) {
    if (Number.isNaN(v)) return "not a number";
    if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
    return v === 0 ? "0" : String(Number(v.toPrecision(10))).replace("-", "−");
  }

  function call(name, point) {
    var entry = window.deriveFunctions[name];
    return entry.call.apply(null, entry.parameters.map(function (p) { return point[p]; }));
  }

  function nameOf(node) {
    if (node.type === "Identifier") return node.name;
    if (node.type === "MemberExpression" && node.computed && node.object.type === "Identifier" && node.property.type === "Identifier") {
      return node.object.name + "_" + node.property.name; // a[i] is a_i
    }
    return null;
  }

  function check(node, config) {
    var known = config.names.map(function (n) { return n.name; });
    var functions = Object.keys(FUNCTIONS).concat(config.sigma_names);
    var understood = "it understands " + config.understood;
    switch (node.type) {
      case "Literal":
        if (typeof node.value !== "number") throw new ReaderError("Only numbers and names are understood, not " + node.raw + ".");
        return;
      case "Identifier":
      case "MemberExpression": {
        var name = nameOf(node);
        if (name === null) throw new ReaderError("Indexing is understood only as a name with an index, like a[i].");
        if (known.indexOf(name) < 0 && !(name in CONSTANTS)) {
          if (functions.indexOf(name) >= 0) throw new ReaderError(name + " is a function: write " + name + "(...).");
          throw new ReaderError("Unknown name " + name + ": " + understood + ".");
        }
        return;
      }
      case "Group":
        return check(node.expression, config);
      case "UnaryExpression":
        return check(node.argument, config);
      case "BinaryExpression":
        check(node.left, config);
        return check(node.right, config);
      case "CallExpression": {
        var callee = nameOf(node.callee);
        if (callee !== null && known.indexOf(callee) >= 0) {
          throw new ReaderError(callee + " is not a function: write " + callee + "*(...) for a product.");
        }
        if (callee === null || functions.indexOf(callee) < 0) {
          throw new ReaderError("Unknown function " + (callee || "") + ": " + understood + ".");
        }
        if (node.arguments.length !== 1) throw new ReaderError(callee + " takes one argument.");
        return check(node.arguments[0], config);
      }
      case "Compound":
        throw new ReaderError("An operator is missing between two terms: write * for a product, as in 2*a.");
      case "SequenceExpression":
        throw new ReaderError("A comma is not understood here: functions take one argument.");
      default:
        throw new ReaderError("Not understood: use numbers, names, + - * / ^, parentheses and the listed functions.");
    }
  }

  function evaluate(node, scope, sigma) {
    switch (node.type) {
      case "Literal":
        return node.value;
      case "Identifier":
      case "MemberExpression": {
        var name = nameOf(node);
        return name in scope ? scope[name] : CONSTANTS[name];
      }
      case "Group":
        return evaluate(node.expression, scope, sigma);
      case "UnaryExpression": {
        var inner = evaluate(node.argument, scope, sigma);
        return node.operator === "-" ? -inner : inner;
      }
      case "BinaryExpression": {
        var op = node.operator;
        if ((op === "^" || op === "**") && node.left.type === "UnaryExpression") {
          // -z^2 is minus (z squared), as in mathematics (jsep alone would read (-z)^2)
          var power = Math.pow(evaluate(node.left.argument, scope, sigma), evaluate(node.right, scope, sigma));
          return node.left.operator === "-" ? -power : power;
        }
        var left = evaluate(node.left, scope, sigma), right = evaluate(node.right, scope, sigma);
        if (op === "+") return left + right;
        if (op === "-") return left - right;
        if (op === "*") return left * right;
        if (op === "/") return left / right;
        return Math.pow(left, right);
      }
      case "CallExpression": {
        var callee = nameOf(node.callee), argument = evaluate(node.arguments[0], scope, sigma);
        return callee in FUNCTIONS ? FUNCTIONS[callee](argument) : sigma(argument);
      }
    }
    throw new ReaderError("Not understood.");
  }

  function describe(point, scope, config) {
    var parts = config.shown.map(function (item) {
      var v = point[item.parameter];
      if (item.kind === "index") return item.label + " = " + (v + 1);
      if (item.kind === "vector") return item.label + " = (" + v.map(format).join(", ") + ")";
      if (item.kind === "size") return item.label + " = " + v.length;
      return item.label + " = " + format(v);
    });
    config.names.forEach(function (n) {
      if (n.function) parts.push(n.name + " = " + format(scope[n.name]));
    });
    return parts.join(", ");
  }

  function verdict(text, config) {
    var source = text.trim();
    if (source === "") return { kind: "error", message: "Type an expression first." };
    var tree;
    try {
      tree = jsep(source.replace(/σ/g, "sigma").replace(/−/g, "-").replace(/·|×/g, "*"));
      check(tree, config);
    } catch (error) {
      var message = error instanceof ReaderError ? error.message : "Could not read that: " + error.description +
        " (at character " + (error.index + 1) + ").";
      return { kind: "error", message: message };
    }
    var sigma = function (x) { return call(config.sigma, { x: x }); };
    for (var n = 0; n < config.points.length; n++) {
      var point = config.points[n];
      var scope = {};
      config.names.forEach(function (name) {
        scope[name.name] = name.function ? call(name.function, point) : point[name.parameter];
      });
      var ours = evaluate(tree, scope, sigma);
      var reference = call(config.reference, point);
      var close = Number.isFinite(ours) && Math.abs(ours - reference) <= TOLERANCE * Math.max(1, Math.abs(reference));
      if (!close) {
        return {
          kind: "different",
          message: "Not equal. At " + describe(point, scope, config) + ": yours gives " + format(ours) +
            ", the verified result gives " + format(reference) + ".",
          point: n, yours: ours, reference: reference,
        };
      }
    }
    return {
      kind: "equal",
      message: "Equal: your expression agrees with the verified result at all " + config.points.length +
        " random points of the derivation's domain.",
    };
  }

  function build(box, config) {
    var id = "derive-answer-" + config.name;
    var input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("autocapitalize", "off");
    input.className = "derive-answer";
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = "Your expression for " + config.asked;
    var button = document.createElement("button");
    button.type = "submit";
    button.textContent = "Check";
    var output = document.createElement("p");
    output.className = "derive-verdict";
    output.setAttribute("role", "status");
    output.setAttribute("aria-live", "polite");
    var form = document.createElement("form");
    form.className = "derive-exercise-form";
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(button);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var result = verdict(input.value, config);
      output.textContent = result.message;
      output.setAttribute("data-verdict", result.kind);
    });
    box.appendChild(form);
    box.appendChild(output);
  }

  function start() {
    document.querySelectorAll("[data-derive-exercise]").forEach(function (node) {
      if (node.getAttribute("data-ready") || !window.deriveFunctions || typeof jsep === "undefined") return;
      build(node.querySelector(".derive-live"), JSON.parse(node.getAttribute("data-config")));
      node.setAttribute("data-ready", "true");
    });
  }

  window.deriveExercises = { verdict: verdict };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
