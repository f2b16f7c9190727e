/* Wide tables on phones (issue 13). On a narrow screen a table wider than its box
   becomes a list of cards, one per row, each cell labelled with its column's header
   (data-label, shown by the CSS of table.as-cards). A table marked data-scroll keeps
   its columns and scrolls inside its .scroll box instead; a box that really scrolls
   is made reachable by keyboard and named after the table's caption.
   Without this script every table still sits in a .scroll box that scrolls. */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 40rem)");

  function columnNames(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return [];
    var names = [];
    var cells = head.rows[head.rows.length - 1].cells;
    for (var i = 0; i < cells.length; i++) {
      for (var span = 0; span < (cells[i].colSpan || 1); span++) {
        names.push(cells[i].textContent.replace(/\s+/g, " ").trim());
      }
    }
    return names;
  }

  function label(table, names) {
    var groups = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) groups.push(table.tFoot);
    groups.forEach(function (group) {
      Array.prototype.forEach.call(group.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (names[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[column]);
          }
          // A cell with nothing in it (but spaces) would be a label without a value.
          if (!cell.textContent.trim() && !cell.querySelector("a, button, input, select, img, svg")) {
            cell.setAttribute("data-blank", "");
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  function reachable(box, table) {
    if (!box.classList.contains("scroll") || box.hasAttribute("data-fixed")) return;
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var caption = table.caption ? table.caption.textContent.replace(/\s+/g, " ").trim() : "Table";
      box.setAttribute("aria-label", caption + " (scrolls sideways)");
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function fit() {
    Array.prototype.forEach.call(document.querySelectorAll("main table"), function (table) {
      var box = table.parentElement;
      table.classList.remove("as-cards");
      var names = columnNames(table);
      if (narrow.matches && names.length && !table.hasAttribute("data-scroll") &&
          table.offsetWidth > box.clientWidth + 1) {
        label(table, names);
        table.classList.add("as-cards");
      }
      reachable(box, table);
    });
  }

  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fit(); });
  }

  // Wrappers written with their own tabindex and label (before this script) keep them.
  Array.prototype.forEach.call(document.querySelectorAll(".scroll[tabindex]"), function (box) {
    box.setAttribute("data-fixed", "");
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fit);
  } else {
    fit();
  }
  window.addEventListener("resize", later);
})();
