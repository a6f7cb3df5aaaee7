// Search page glue for Pagefind's Component UI: a visible label, and the query in the URL
// (?q=…) so that the header search box lands here with results and a search can be shared.

const LABEL = "Sök i arkivet";

function whenRendered(selector) {
  return new Promise((resolve) => {
    const found = document.querySelector(selector);
    if (found) return resolve(found);
    const observer = new MutationObserver(() => {
      const element = document.querySelector(selector);
      if (element) {
        observer.disconnect();
        resolve(element);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
}

async function start() {
  const input = await whenRendered("pagefind-input input");
  const label = document.querySelector(`label[for="${input.id}"]`);
  if (label) {
    label.removeAttribute("data-pf-sr-hidden");
    label.classList.add("search-label");
    label.textContent = LABEL;
  }

  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  input.addEventListener("input", () => {
    const url = new URL(window.location.href);
    if (input.value.trim()) url.searchParams.set("q", input.value.trim());
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  });
}

start();
