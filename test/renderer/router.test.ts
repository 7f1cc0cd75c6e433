// The app's addresses (issue 14 "Links"): what each hash route means, and the routes the app builds.
import { describe, expect, it } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { createAppRouter, locationOf, sectionRoute, studyRoute, trialRoute } from '../../src/renderer/router';
import { parseTrialIds } from '../../src/renderer/stores/ui';

async function at(path: string) {
  const router = createAppRouter(createMemoryHistory());
  await router.push(path);
  return { router, location: locationOf(router.currentRoute.value) };
}

describe('hash routes', () => {
  it('reads sections, studies with their views, and trials from the address', async () => {
    expect((await at('/')).location).toMatchObject({ section: 'newStudy', notFound: null });
    expect((await at('/dataset')).location.section).toBe('dataset');
    expect((await at('/studies')).location).toMatchObject({ section: 'studies', studyName: null });
    expect((await at('/studies/dense%20vs%20conv')).location).toMatchObject({ section: 'studies', studyName: 'dense vs conv', studyView: 'dashboard' });
    expect((await at('/studies/s1/analytics?compare=3,5')).location).toMatchObject({ studyName: 's1', studyView: 'analytics' });
    expect((await at('/trials/42')).location).toMatchObject({ section: 'trials', trialId: 42 });
  });

  it('names an address that matches no view instead of showing another one', async () => {
    expect((await at('/nope')).location.notFound).toBe('/nope');
    expect((await at('/studies/s1/no-such-view')).location).toMatchObject({ section: 'studies', notFound: '/studies/s1/no-such-view' });
    expect((await at('/trials/abc')).location.notFound).toBe('/trials/abc');
  });

  it('builds the routes it reads back', async () => {
    const router = createAppRouter(createMemoryHistory());
    for (const [to, expected] of [
      [studyRoute('a/b c', 'analytics', { trial: '7' }), { studyName: 'a/b c', studyView: 'analytics' }],
      [studyRoute('x'), { studyName: 'x', studyView: 'dashboard' }],
      [trialRoute(9), { section: 'trials', trialId: 9 }],
      [sectionRoute('train'), { section: 'train' }],
    ] as const) {
      await router.push(to);
      expect(locationOf(router.currentRoute.value)).toMatchObject(expected);
    }
    expect(router.currentRoute.value.fullPath).toBe('/train');
    await router.push(studyRoute('a/b c', 'analytics', { trial: '7' }));
    expect(router.currentRoute.value.query.trial).toBe('7');
  });

  it('reads trial ids from a query value, dropping anything else', () => {
    expect(parseTrialIds('3,5,x,5,-1,9')).toEqual([3, 5, 9]);
    expect(parseTrialIds(undefined)).toEqual([]);
  });
});
