import { describe, expect, it } from 'vitest';
import { dataConsentGranted, declaredDataCollection } from './data-consent';

const firefoxManifest = {
  browser_specific_settings: {
    gecko: {
      data_collection_permissions: { required: ['none'], optional: ['websiteContent', 'browsingActivity'] },
    },
  },
};

describe('data-collection consent before sending', () => {
  it('reads the optional types from the manifest (none in Chrome)', () => {
    expect(declaredDataCollection({ getManifest: () => firefoxManifest })).toEqual([
      'websiteContent',
      'browsingActivity',
    ]);
    expect(declaredDataCollection({ getManifest: () => ({ manifest_version: 3 }) })).toEqual([]);
  });

  it('Firefox: sends only while the consent is granted; asks for exactly the declared types', async () => {
    const asked: unknown[] = [];
    const apis = (granted: boolean) => ({
      runtime: { getManifest: () => firefoxManifest },
      permissions: {
        async contains(p: unknown) {
          asked.push(p);
          return granted;
        },
      },
    });
    expect(await dataConsentGranted(apis(true))).toBe(true);
    expect(await dataConsentGranted(apis(false))).toBe(false);
    expect(asked[0]).toEqual({ data_collection: ['websiteContent', 'browsingActivity'] });
  });

  it('Chrome (nothing declared) and Firefox before 140 (key unknown) do not block sending', async () => {
    const chrome = {
      runtime: { getManifest: () => ({}) },
      permissions: { contains: async () => false },
    };
    expect(await dataConsentGranted(chrome)).toBe(true);
    const oldFirefox = {
      runtime: { getManifest: () => firefoxManifest },
      permissions: { contains: () => Promise.reject(new Error('Unexpected property "data_collection"')) },
    };
    expect(await dataConsentGranted(oldFirefox)).toBe(true);
  });
});
