// Interactive figures of the derive site: plumbing only.
//
// Every number shown here comes from a function in `deriveFunctions`, which
// `derive build` prints from the verified SymPy results with SymPy's
// JavaScript printer (docs/generated/js/derive-functions.js).  This file
// builds controls, draws plain SVG and writes values into the page; it holds
// no formula of its own.  Each figure enhances a static SVG drawn at build
// time, which stays for readers without JavaScript and for print.
(function () {
  "use strict";
  if (window.deriveWidgets) {
    return; // two figures on one page load this file twice
  }
  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = { ce: "#1f77b4", se: "#ff7f0e", marker: "#555", shade: "#fbe3c8" };
  var counter = 0;

  // ---- small helpers -------------------------------------------------------

  function value(name, scope) {
    var entry = window.deriveFunctions[name];
    return entry.call.apply(null, entry.parameters.map(function (p) { return scope[p]; }));
  }

  function format(v) {
    if (Number.isNaN(v)) return "not a number";
    if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
    if (v === 0) return "0";
    return String(Number(v.toPrecision(10))).replace("-", "−");
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") node.textContent = attributes[key];
      else node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function svgEl(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") node.textContent = attributes[key];
      else node.setAttribute(key, attributes[key]);
    });
    return node;
  }

  function uid(prefix) {
    counter += 1;
    return prefix + "-" + counter;
  }

  function labelled(text, input) {
    var id = uid("derive-input");
    input.id = id;
    return el("div", { class: "derive-control" }, [el("label", { for: id, text: text }), input]);
  }

  function slider(min, max, step, start) {
    return el("input", { type: "range", min: min, max: max, step: step, value: start });
  }

  function numberInput(start, step, min, max) {
    var attributes = { type: "number", step: step, value: start, inputmode: "decimal" };
    if (min !== undefined) attributes.min = min;
    if (max !== undefined) attributes.max = max;
    return el("input", attributes);
  }

  function radios(legend, name, options, checked) {
    var group = el("fieldset", { class: "derive-control derive-radios" }, [el("legend", { text: legend })]);
    options.forEach(function (option) {
      var id = uid("derive-radio");
      var input = el("input", { type: "radio", name: name, id: id, value: option.value });
      if (String(option.value) === String(checked)) input.checked = true;
      group.appendChild(input);
      group.appendChild(el("label", { for: id, text: option.text }));
    });
    return group;
  }

  function checkedValue(group) {
    var input = group.querySelector("input:checked");
    return input ? Number(input.value) : NaN;
  }

  function select(options, chosen) {
    var node = el("select");
    options.forEach(function (option) {
      var item = el("option", { value: option.value, text: option.text });
      if (String(option.value) === String(chosen)) item.selected = true;
      node.appendChild(item);
    });
    return node;
  }

  // A line chart in plain SVG: fixed coordinates, scaled to the figure's width.
  // Drawing width in SVG units: the box's width in pixels (so text keeps its size on a phone), 320 to 600.
  function chartWidth(box) {
    return Math.max(320, Math.min(600, Math.round(box.clientWidth || 600)));
  }

  function lineChart(options) {
    var width = options.width || 600, height = options.height || 200, left = 58, right = 12, top = 22, bottom = 34;
    var svg = svgEl("svg", { viewBox: "0 0 " + width + " " + height, class: "derive-chart", role: "img" });
    svg.setAttribute("aria-label", options.title);
    var x0 = options.x[0], x1 = options.x[1];
    var y0 = options.y[0], y1 = options.y[1];
    function sx(x) { return left + ((x - x0) / (x1 - x0)) * (width - left - right); }
    function sy(y) {
      var clipped = Math.min(Math.max(y, y0), y1);
      return top + (1 - (clipped - y0) / (y1 - y0)) * (height - top - bottom);
    }
    (options.shade || []).forEach(function (band) {
      svg.appendChild(svgEl("rect", {
        x: sx(band[0]), y: top, width: Math.max(0, sx(band[1]) - sx(band[0])), height: height - top - bottom,
        fill: COLOURS.shade,
      }));
    });
    ticks(y0, y1, 4).forEach(function (t) {
      svg.appendChild(svgEl("line", { x1: left, x2: width - right, y1: sy(t), y2: sy(t), stroke: "#ddd" }));
      svg.appendChild(svgEl("text", { x: left - 6, y: sy(t) + 4, "text-anchor": "end", class: "derive-tick", text: format(t) }));
    });
    ticks(x0, x1, 6).forEach(function (t) {
      svg.appendChild(svgEl("text", { x: sx(t), y: height - bottom + 16, "text-anchor": "middle", class: "derive-tick", text: format(t) }));
    });
    if (y0 < 0 && y1 > 0) {
      svg.appendChild(svgEl("line", { x1: left, x2: width - right, y1: sy(0), y2: sy(0), stroke: "#999" }));
    }
    svg.appendChild(svgEl("text", { x: left, y: 14, class: "derive-chart-title", text: options.title }));
    svg.appendChild(svgEl("text", { x: width - right, y: height - 4, "text-anchor": "end", class: "derive-tick", text: options.xLabel }));
    (options.lines || []).forEach(function (line) {
      svg.appendChild(svgEl("line", {
        x1: left, x2: width - right, y1: sy(line.y), y2: sy(line.y), stroke: "#777", "stroke-dasharray": "5 4",
      }));
    });
    options.series.forEach(function (series) {
      var d = series.points.map(function (p, n) {
        return (n ? "L" : "M") + sx(p[0]).toFixed(2) + " " + sy(p[1]).toFixed(2);
      }).join(" ");
      svg.appendChild(svgEl("path", {
        d: d, fill: "none", stroke: series.colour, "stroke-width": 2, "stroke-dasharray": series.dash || "none",
      }));
    });
    if (options.marker !== undefined) {
      var m = Math.min(Math.max(options.marker, x0), x1);
      svg.appendChild(svgEl("line", { x1: sx(m), x2: sx(m), y1: top, y2: height - bottom, stroke: COLOURS.marker, "stroke-width": 1.5 }));
      (options.dots || []).forEach(function (dot) {
        if (Number.isFinite(dot.y)) {
          svg.appendChild(svgEl("circle", { cx: sx(m), cy: sy(dot.y), r: 4, fill: dot.colour }));
        }
      });
    }
    return svg;
  }

  function ticks(lo, hi, count) {
    var span = hi - lo, raw = span / count, power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).find(function (s) { return s >= raw; });
    var out = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
      out.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
    }
    return out;
  }

  function range(values, pad) {
    var finite = values.filter(Number.isFinite);
    var lo = Math.min.apply(null, finite.concat([0])), hi = Math.max.apply(null, finite.concat([0]));
    var margin = (hi - lo || 1) * (pad || 0.08);
    return [lo - (lo < 0 ? margin : 0), hi + margin];
  }

  function legend(items) {
    return el("p", { class: "derive-legend" }, items.map(function (item) {
      var swatch = el("span", { class: "derive-swatch", "aria-hidden": "true" });
      swatch.style.background = item.colour;
      return el("span", {}, [swatch, document.createTextNode(item.text)]);
    }));
  }

  // A table cell showing functions[key] at scope; data-quantity names what it shows.
  function valueCell(functions, key, scope) {
    return el("td", { "data-quantity": key, text: format(value(functions[key], scope)) });
  }

  function table(caption, header, rows) {
    var head = el("tr", {}, header.map(function (h) { return el("th", { scope: "col", text: h }); }));
    var body = rows.map(function (row) {
      return el("tr", {}, [el("th", { scope: "row", text: row[0] })].concat(row.slice(1)));
    });
    return el("table", { class: "derive-values" }, [el("caption", { text: caption }), el("thead", {}, [head]), el("tbody", {}, body)]);
  }

  function grid(lo, hi, count) {
    var out = [];
    for (var n = 0; n <= count; n++) out.push(lo + ((hi - lo) * n) / count);
    return out;
  }

  // ---- (a) the sigmoid: loss, gradient and curvature against the logit --------

  function sigmoidFigure(root, config) {
    var f = config.functions;
    var zMin = config.logit.min, zMax = config.logit.max;
    var zSlider = slider(zMin, zMax, config.logit.step, config.logit.value);
    var zExact = numberInput(config.logit.value, "any");
    var labels = radios("Label", uid("derive-label"), [{ value: 0, text: "0" }, { value: 1, text: "1" }], config.label);
    var controls = el("div", { class: "derive-controls" }, [
      labelled("Logit", zSlider), labelled("Logit, exact (any number)", zExact), labels,
    ]);
    var summary = el("p", { "aria-live": "polite" }), values = el("div");
    var readout = el("div", { class: "derive-readout" }, [summary, values]);
    var charts = el("div", { class: "derive-charts" });
    root.appendChild(controls);
    root.appendChild(legend([
      { colour: COLOURS.ce, text: "cross-entropy" }, { colour: COLOURS.se, text: "squared error" },
      { colour: COLOURS.shade, text: "saturated: the sigmoid's slope below a tenth of its peak" },
    ]));
    root.appendChild(readout);
    root.appendChild(charts);
    var xs = grid(zMin, zMax, 400);
    var peak = value(f.slope, { z: 0, y: 0 });

    function saturatedBands() {
      var bands = [], start = null;
      xs.forEach(function (x) {
        var saturated = value(f.slope, { z: x, y: 0 }) < peak * config.saturation_fraction;
        if (saturated && start === null) start = x;
        if (!saturated && start !== null) { bands.push([start, x]); start = null; }
      });
      if (start !== null) bands.push([start, zMax]);
      return bands;
    }
    var bands = saturatedBands();

    function draw(z) {
      var y = checkedValue(labels);
      var scope = { z: z, y: y };
      var saturated = value(f.slope, scope) < peak * config.saturation_fraction;
      summary.replaceChildren(
        document.createTextNode("Logit "), el("strong", { "data-quantity": "logit", text: format(z) }),
        document.createTextNode(", label " + y + ", prediction "),
        el("strong", { "data-quantity": "prediction", text: format(value(f.prediction, scope)) }),
        document.createTextNode(saturated ? " (saturated)" : " (not saturated)")
      );
      values.replaceChildren(
        table("Values at this logit and label", ["", "cross-entropy", "squared error"], [
          ["loss", valueCell(f, "ce_loss", scope), valueCell(f, "se_loss", scope)],
          ["gradient in the logit", valueCell(f, "ce_gradient", scope), valueCell(f, "se_gradient", scope)],
          ["curvature (second derivative)", valueCell(f, "ce_curvature", scope), valueCell(f, "se_curvature", scope)],
        ])
      );
      var panels = [
        ["Loss", "ce_loss", "se_loss", null],
        ["Gradient in the logit", "ce_gradient", "se_gradient", [-1.05, 1.05]],
        ["Curvature", "ce_curvature", "se_curvature", [-0.12, 0.27]],
      ];
      charts.replaceChildren.apply(charts, panels.map(function (panel) {
        var ce = xs.map(function (x) { return [x, value(f[panel[1]], { z: x, y: y })]; });
        var se = xs.map(function (x) { return [x, value(f[panel[2]], { z: x, y: y })]; });
        var shown = Math.min(Math.max(z, zMin), zMax);
        var limits = panel[3] || range(ce.concat(se).map(function (p) { return p[1]; }));
        return lineChart({
          title: panel[0] + ", label " + y, x: [zMin, zMax], y: limits, xLabel: "logit",
          series: [{ points: ce, colour: COLOURS.ce }, { points: se, colour: COLOURS.se }],
          shade: bands, marker: z, height: 170, width: chartWidth(charts),
          dots: [
            { y: value(f[panel[1]], { z: shown, y: y }), colour: COLOURS.ce },
            { y: value(f[panel[2]], { z: shown, y: y }), colour: COLOURS.se },
          ],
        });
      }));
    }

    zSlider.addEventListener("input", function () { zExact.value = zSlider.value; draw(Number(zSlider.value)); });
    zExact.addEventListener("input", function () {
      var z = Number(zExact.value);
      if (zExact.value.trim() === "" || !Number.isFinite(z)) return;
      zSlider.value = String(Math.min(Math.max(z, zMin), zMax));
      draw(z);
    });
    labels.addEventListener("change", function () { draw(Number(zExact.value)); });
    draw(Number(config.logit.value));
  }

  // ---- shared: a row of logit sliders for 3 to 10 classes ----------------------

  function logitControls(config, onChange) {
    var count = numberInput(config.classes, 1, config.min_classes, config.max_classes);
    var box = el("div", { class: "derive-logits" });
    var sliders = [];
    function build() {
      var k = Math.round(Number(count.value));
      if (!(k >= config.min_classes && k <= config.max_classes)) return false;
      var kept = sliders.map(function (s) { return Number(s.input.value); });
      sliders = [];
      box.replaceChildren();
      for (var n = 0; n < k; n++) {
        var start = n < kept.length ? kept[n] : config.logits[n];
        var input = slider(config.logit.min, config.logit.max, config.logit.step, start);
        var shown = el("output", { text: format(start) });
        var control = labelled("Logit of class " + (n + 1), input);
        control.appendChild(shown);
        box.appendChild(control);
        sliders.push({ input: input, output: shown });
        input.addEventListener("input", (function (s) {
          return function () { s.output.textContent = format(Number(s.input.value)); onChange(); };
        })(sliders[n]));
      }
      return true;
    }
    count.addEventListener("input", function () { if (build()) onChange(true); });
    build();
    return {
      element: el("div", {}, [labelled("Number of classes (" + config.min_classes + " to " + config.max_classes + ")", count), box]),
      logits: function () { return sliders.map(function (s) { return Number(s.input.value); }); },
    };
  }

  // ---- (b) softmax: probabilities and both gradients, per class -----------------

  function softmaxFigure(root, config) {
    var f = config.functions;
    var truth = select([], 0);
    var logits = logitControls(config, function (rebuilt) { if (rebuilt) fillClasses(); draw(); });
    var summary = el("p", { "aria-live": "polite" }), values = el("div");
    var readout = el("div", { class: "derive-readout" }, [summary, values]);
    var chart = el("div", { class: "derive-charts" });
    root.appendChild(el("div", { class: "derive-controls" }, [logits.element, labelled("True class", truth)]));
    root.appendChild(legend([
      { colour: "#888", text: "probability" }, { colour: COLOURS.ce, text: "cross-entropy gradient" },
      { colour: COLOURS.se, text: "squared-error gradient" },
    ]));
    root.appendChild(readout);
    root.appendChild(chart);

    function fillClasses() {
      var keep = Number(truth.value) || 0, k = logits.logits().length;
      truth.replaceChildren.apply(truth, logits.logits().map(function (_, n) {
        return el("option", { value: n, text: "class " + (n + 1) });
      }));
      truth.value = String(Math.min(keep, k - 1));
    }
    truth.addEventListener("change", function () { draw(); });

    function draw() {
      var z = logits.logits(), p = Number(truth.value);
      var y = z.map(function (_, n) { return n === p ? 1 : 0; });
      var rows = z.map(function (zk, i) {
        var scope = { z: z, y: y, i: i };
        return [
          "class " + (i + 1) + (i === p ? " (true)" : ""),
          el("td", { "data-quantity": "logit", text: format(zk) }),
          valueCell(f, "probability", scope), valueCell(f, "ce_gradient", scope), valueCell(f, "se_gradient", scope),
        ];
      });
      var scope = { z: z, y: y };
      summary.replaceChildren(
        document.createTextNode("Cross-entropy loss "), el("strong", { "data-quantity": "ce_loss", text: format(value(f.ce_loss, scope)) }),
        document.createTextNode(", squared-error loss "), el("strong", { "data-quantity": "se_loss", text: format(value(f.se_loss, scope)) })
      );
      values.replaceChildren(
        table("Per class, one-hot label on the true class", ["", "logit", "probability", "cross-entropy gradient", "squared-error gradient"], rows)
      );
      chart.replaceChildren(bars(z, y));
    }

    function bars(z, y) {
      var width = chartWidth(chart), height = 220, left = 46, top = 14, bottom = 30, right = 8;
      var values = z.map(function (_, i) {
        var scope = { z: z, y: y, i: i };
        return [value(f.probability, scope), value(f.ce_gradient, scope), value(f.se_gradient, scope)];
      });
      var svg = svgEl("svg", { viewBox: "0 0 " + width + " " + height, class: "derive-chart", role: "img" });
      svg.setAttribute("aria-label", "Probability and the two gradients for each class");
      function sy(v) { return top + (1 - (v + 1) / 2) * (height - top - bottom); }
      [-1, -0.5, 0, 0.5, 1].forEach(function (t) {
        svg.appendChild(svgEl("line", { x1: left, x2: width - right, y1: sy(t), y2: sy(t), stroke: t === 0 ? "#999" : "#ddd" }));
        svg.appendChild(svgEl("text", { x: left - 6, y: sy(t) + 4, "text-anchor": "end", class: "derive-tick", text: format(t) }));
      });
      var slot = (width - left - right) / z.length, bar = slot / 4;
      values.forEach(function (row, i) {
        ["#888", COLOURS.ce, COLOURS.se].forEach(function (colour, s) {
          var v = row[s], x = left + i * slot + bar * (s + 0.5);
          svg.appendChild(svgEl("rect", { x: x, width: bar * 0.9, y: Math.min(sy(v), sy(0)), height: Math.abs(sy(v) - sy(0)), fill: colour }));
        });
        svg.appendChild(svgEl("text", {
          x: left + (i + 0.5) * slot, y: height - 10, "text-anchor": "middle", class: "derive-tick",
          text: (y[i] ? "true " : "") + (i + 1),
        }));
      });
      return svg;
    }
    fillClasses();
    draw();
  }

  // ---- (d) the softmax Jacobian as a heat map ---------------------------------

  function jacobianFigure(root, config) {
    var f = config.functions;
    var row = select([], 0), column = select([], 0);
    var logits = logitControls(config, function (rebuilt) { if (rebuilt) fillIndices(); draw(); });
    var readout = el("p", { class: "derive-readout", "aria-live": "polite" });
    var chart = el("div", { class: "derive-charts" });
    root.appendChild(el("div", { class: "derive-controls" }, [
      logits.element, labelled("Probability of class (row)", row), labelled("Logit of class (column)", column),
    ]));
    root.appendChild(readout);
    root.appendChild(chart);

    function fillIndices() {
      var k = logits.logits().length;
      [row, column].forEach(function (node) {
        var keep = Math.min(Number(node.value) || 0, k - 1);
        node.replaceChildren.apply(node, logits.logits().map(function (_, n) {
          return el("option", { value: n, text: "class " + (n + 1) });
        }));
        node.value = String(keep);
      });
    }
    row.addEventListener("change", function () { draw(); });
    column.addEventListener("change", function () { draw(); });

    function draw() {
      var z = logits.logits(), k = z.length, i = Number(row.value), j = Number(column.value);
      var cells = [], largest = 0;
      for (var r = 0; r < k; r++) {
        cells.push([]);
        for (var c = 0; c < k; c++) {
          var v = value(f.jacobian, { z: z, i: r, j: c });
          cells[r].push(v);
          largest = Math.max(largest, Math.abs(v));
        }
      }
      readout.replaceChildren(
        document.createTextNode("Derivative of the probability of class " + (i + 1) + " in the logit of class " + (j + 1) + ": "),
        el("strong", { "data-quantity": "jacobian", text: format(cells[i][j]) }),
        document.createTextNode(".")
      );
      var size = Math.min(400, chartWidth(chart) - 110), left = 40, top = 30, cell = (size - left) / k;
      var svg = svgEl("svg", { viewBox: "0 0 " + (size + 110) + " " + (size + 10), class: "derive-chart derive-heat", role: "img" });
      svg.setAttribute("aria-label", "Heat map of the softmax Jacobian, " + k + " by " + k);
      svg.appendChild(svgEl("text", { x: left, y: 14, class: "derive-chart-title", text: "row: probability of; column: logit of" }));
      for (var rr = 0; rr < k; rr++) {
        svg.appendChild(svgEl("text", { x: left - 8, y: top + (rr + 0.5) * cell + 4, "text-anchor": "end", class: "derive-tick", text: rr + 1 }));
        svg.appendChild(svgEl("text", { x: left + (rr + 0.5) * cell, y: top - 4, "text-anchor": "middle", class: "derive-tick", text: rr + 1 }));
        for (var cc = 0; cc < k; cc++) {
          var v2 = cells[rr][cc];
          var rect = svgEl("rect", {
            x: left + cc * cell, y: top + rr * cell, width: cell - 1, height: cell - 1, fill: heat(v2, largest),
            stroke: rr === i && cc === j ? "#000" : "none", "stroke-width": 2,
          });
          rect.appendChild(svgEl("title", { text: "row " + (rr + 1) + ", column " + (cc + 1) + ": " + format(v2) }));
          svg.appendChild(rect);
          if (k <= 6) {
            svg.appendChild(svgEl("text", {
              x: left + (cc + 0.5) * cell, y: top + (rr + 0.5) * cell + 4, "text-anchor": "middle", class: "derive-cell",
              text: v2.toFixed(3).replace("-", "−"),
            }));
          }
        }
      }
      // colour key
      [-1, 0, 1].forEach(function (t, n) {
        svg.appendChild(svgEl("rect", { x: size + 20, y: top + n * 40, width: 20, height: 20, fill: heat(t * largest, largest), stroke: "#999" }));
        svg.appendChild(svgEl("text", { x: size + 46, y: top + n * 40 + 15, class: "derive-tick", text: format(Number((t * largest).toPrecision(3))) }));
      });
      chart.replaceChildren(svg);
    }

    function heat(v, largest) {
      var t = largest ? Math.max(-1, Math.min(1, v / largest)) : 0;
      var other = Math.round(255 * (1 - Math.abs(t)));
      return t >= 0 ? "rgb(255," + other + "," + other + ")" : "rgb(" + other + "," + other + ",255)";
    }
    fillIndices();
    draw();
  }

  // ---- (c) the single-neuron experiment, replayed -----------------------------

  function trainingFigure(root, config) {
    var weight = numberInput(config.weight, 0.1), bias = numberInput(config.bias, 0.1);
    var rate = numberInput(config.learning_rate, 0.01, 0.001), steps = numberInput(config.steps, 10, 1, config.max_steps);
    root.appendChild(el("div", { class: "derive-controls" }, [
      labelled("Starting weight", weight), labelled("Starting bias", bias),
      labelled("Learning rate", rate), labelled("Steps (1 to " + config.max_steps + ")", steps),
    ]));
    var message = el("p", { class: "derive-message", role: "status" });
    var readout = el("div", { class: "derive-readout" });
    var chart = el("div", { class: "derive-charts" });
    root.appendChild(message);
    root.appendChild(legend([{ colour: COLOURS.ce, text: "cross-entropy" }, { colour: COLOURS.se, text: "squared error" }]));
    root.appendChild(readout);
    root.appendChild(chart);

    function replay(loss, w, b, eta, count) {
      var f = config.functions[loss], outputs = [], losses = [];
      for (var n = 0; n <= count; n++) {
        var scope = { w: w, b: b, x: config.input, y: config.target };
        outputs.push(value(f.output, scope));
        losses.push(value(f.loss, scope));
        var gw = value(f.gradient_w, scope), gb = value(f.gradient_b, scope);
        w -= eta * gw;
        b -= eta * gb;
      }
      var below = outputs.findIndex(function (o) { return o < config.threshold; });
      return { outputs: outputs, losses: losses, below: below };
    }

    function draw() {
      var w = Number(weight.value), b = Number(bias.value), eta = Number(rate.value), count = Number(steps.value);
      var problems = [];
      if ([weight, bias, rate, steps].some(function (i) { return i.value.trim() === ""; })) problems.push("fill in every field");
      else if (![w, b, eta, count].every(Number.isFinite)) problems.push("every field must be a number");
      else if (!(eta > 0)) problems.push("the learning rate must be positive");
      else if (!(Number.isInteger(count) && count >= 1 && count <= config.max_steps)) problems.push("the steps must be a whole number from 1 to " + config.max_steps);
      message.textContent = problems.length ? "Not replayed: " + problems[0] + "." : "";
      if (problems.length) return;
      var runs = { ce: replay("ce", w, b, eta, count), se: replay("se", w, b, eta, count) };
      function row(key, name) {
        var run = runs[key];
        return [
          name,
          el("td", { "data-quantity": key + "-steps", text: run.below >= 0 ? String(run.below) : "not within " + count + " steps" }),
          el("td", { "data-quantity": key + "-output", text: format(run.outputs[count]) }),
          el("td", { "data-quantity": key + "-loss", text: format(run.losses[count]) }),
        ];
      }
      readout.replaceChildren(table(
        "Input " + format(config.input) + ", target " + format(config.target) + ", plain gradient descent",
        ["", "steps to output below " + format(config.threshold), "final output", "final loss"],
        [row("ce", "cross-entropy"), row("se", "squared error")]
      ));
      function points(run) { return run.outputs.map(function (o, n) { return [n, o]; }); }
      chart.replaceChildren(lineChart({
        title: "Output of the neuron at each step", x: [0, count], y: [0, 1], xLabel: "gradient-descent step",
        series: [{ points: points(runs.ce), colour: COLOURS.ce }, { points: points(runs.se), colour: COLOURS.se }],
        lines: [{ y: config.threshold }], height: 220, width: chartWidth(chart),
      }));
    }
    [weight, bias, rate, steps].forEach(function (input) { input.addEventListener("input", draw); });
    draw();
  }

  // ---- start ------------------------------------------------------------------

  var FIGURES = { sigmoid: sigmoidFigure, softmax: softmaxFigure, jacobian: jacobianFigure, training: trainingFigure };

  function start() {
    document.querySelectorAll("figure[data-derive-widget]").forEach(function (figure) {
      if (figure.getAttribute("data-ready") || !window.deriveFunctions) return;
      var build = FIGURES[figure.getAttribute("data-derive-widget")];
      var root = figure.querySelector(".derive-live");
      if (!build || !root) return;
      build(root, JSON.parse(figure.getAttribute("data-config")));
      figure.setAttribute("data-ready", "true");
    });
  }

  window.deriveWidgets = { format: format, value: value };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
