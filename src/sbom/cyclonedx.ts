import { isLicenseExpression } from './license.js';
import { nameUuid, pypiPurl, type SbomInput, type SbomLicense } from './model.js';

/**
 * CycloneDX 1.6 JSON. metadata.component is the image (type container); components are the project
 * (application), the Python runtime (platform), the operating system, every Python distribution
 * (library, with purl, the wheel's SHA-256 and its layer as a property) and every OS package (library,
 * purl pkg:deb / pkg:apk). dependencies: the image on the project, runtime and OS; the project on its
 * distributions. serialNumber is a name-based UUID of the image config digest. Pure.
 */
export function renderCycloneDx(input: SbomInput): string {
  const refs = new Set<string>();
  const refOf = (wanted: string) => {
    let ref = wanted;
    for (let n = 2; refs.has(ref); n++) ref = `${wanted}#${n}`;
    refs.add(ref);
    return ref;
  };
  const imageRef = refOf(`image:${input.image.configDigest}`);
  const projectRef = refOf(`project:${input.project.name}@${input.project.version}`);
  const pythonRef = refOf(`python@${input.python.version}`);
  const components: Record<string, unknown>[] = [];
  components.push({
    type: 'application',
    'bom-ref': projectRef,
    name: input.project.name,
    version: input.project.version,
    ...licensesOf(input.project.license),
    properties: [{ name: 'pycontainer:layer', value: input.project.layer }],
  });
  components.push({
    type: 'platform',
    'bom-ref': pythonRef,
    name: 'python',
    version: input.python.version,
    properties: [{ name: 'pycontainer:interpreter', value: input.python.interpreter }],
  });
  let osRef: string | undefined;
  if (input.base.os) {
    osRef = refOf(`os:${input.base.os.id}@${input.base.os.versionId ?? ''}`);
    components.push({
      type: 'operating-system',
      'bom-ref': osRef,
      name: input.base.os.id,
      ...(input.base.os.versionId ? { version: input.base.os.versionId } : {}),
      ...(input.base.os.prettyName ? { description: input.base.os.prettyName } : {}),
    });
  }
  const distributionRefs: string[] = [];
  for (const d of input.distributions) {
    const purl = pypiPurl(d.name, d.version);
    const ref = refOf(purl);
    distributionRefs.push(ref);
    components.push({
      type: 'library',
      'bom-ref': ref,
      name: d.name,
      version: d.version,
      hashes: [{ alg: 'SHA-256', content: d.sha256 }],
      ...licensesOf(d.license),
      purl,
      ...(d.url && /^https?:/.test(d.url) ? { externalReferences: [{ type: 'distribution', url: d.url }] } : {}),
      properties: [
        { name: 'pycontainer:layer', value: d.layer },
        { name: 'pycontainer:requested', value: String(d.requested) },
        { name: 'pycontainer:wheel', value: d.filename },
      ],
    });
  }
  for (const p of input.base.packages) {
    components.push({
      type: 'library',
      'bom-ref': refOf(p.purl),
      name: p.name,
      version: p.version,
      ...licensesOf(p.license ? { expression: p.license } : undefined),
      purl: p.purl,
      properties: [
        { name: 'pycontainer:package-manager', value: p.manager === 'deb' ? 'dpkg' : 'apk' },
        ...(p.source ? [{ name: 'pycontainer:source-package', value: p.source }] : []),
      ],
    });
  }
  const bom = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${nameUuid(`cyclonedx:${input.image.configDigest}`)}`,
    version: 1,
    metadata: {
      timestamp: input.created,
      tools: { components: [{ type: 'application', name: input.tool.name, version: input.tool.version }] },
      component: {
        type: 'container',
        'bom-ref': imageRef,
        name: input.image.name,
        version: input.project.version,
        properties: [
          { name: 'pycontainer:platform', value: input.image.platform },
          { name: 'pycontainer:config-digest', value: input.image.configDigest },
          { name: 'pycontainer:base', value: input.image.baseDigest ? `${input.image.baseRef}@${input.image.baseDigest}` : input.image.baseRef },
        ],
      },
    },
    components,
    dependencies: [
      { ref: imageRef, dependsOn: [projectRef, pythonRef, ...(osRef ? [osRef] : [])] },
      { ref: projectRef, dependsOn: distributionRefs },
    ],
  };
  return `${JSON.stringify(bom, null, 2)}\n`;
}

/** An SPDX expression when we have one, else the License field's text as a named license. */
function licensesOf(license: SbomLicense | undefined): { licenses?: unknown[] } {
  if (license?.expression && isLicenseExpression(license.expression)) return { licenses: [{ expression: license.expression }] };
  const name = license?.text ?? license?.expression;
  return name ? { licenses: [{ license: { name } }] } : {};
}
