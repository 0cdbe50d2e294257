import { defaultWebDir } from './web-dir';

describe('where the API finds the built front end by default', () => {
  it('is dist/web beside the compiled app, even with no sources installed (a production image)', () => {
    expect(defaultWebDir('/app/dist/apps/web')).toBe('/app/dist/web');
  });

  it('is the build\u2019s dist/web when run from the sources (the tests)', () => {
    expect(defaultWebDir('/home/dev/vjt/apps/web')).toBe('/home/dev/vjt/dist/web');
  });
});
