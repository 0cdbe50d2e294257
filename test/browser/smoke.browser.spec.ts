import type { Browser } from 'playwright-core';
import { describeInBrowser, launchBrowser, openPage, screenshot } from './support/browser';
import { ANALYST, useSeededApp } from './support/seeded-app';

describeInBrowser('front end smoke', () => {
  const app = useSeededApp({ journeys: 50, seed: 7 });
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('serves the dashboard shell and signs in through the form', async () => {
    const opened = await openPage(browser, `${app.url}/dashboard`);
    await opened.page.getByLabel('Access token').fill(app.token(ANALYST));
    await opened.page.getByRole('button', { name: 'Sign in' }).click();
    await opened.page.getByText('Signed in as analyst-1').waitFor();
    await screenshot(opened.page, 'smoke-dashboard');
    expect(opened.problems).toEqual([]);
    await opened.close();
  });
});
