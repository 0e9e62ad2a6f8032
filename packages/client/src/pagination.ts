/** One page of a paginated operation's results. */
export interface Page<Item> {
  /** The items of this page. */
  data: Item[];
  /** How many items there are in all, when the API said. */
  total: number | undefined;
  /** Whether another page follows this one. */
  hasNextPage(): boolean;
  /** Fetches the page after this one. */
  getNextPage(): Promise<Page<Item>>;
}

/**
 * What a paginated method returns: await it for the first page, or iterate it with
 * `for await` to go through every item of every page.
 */
export interface PagePromise<Item> extends Promise<Page<Item>>, AsyncIterable<Item> {}
